package io.collectivekv.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** After a batch with a non-finite gradient, the gradients must be zero again, in place. */
class GradientClearTest {

    @Test
    void nonFiniteGradientsAreZeroedInPlaceAndStayZeroAfterTheirWrapperCloses() {
        try (NDManager root = Engine.getEngine(Trainer.ENGINE).newBaseManager()) {
            NDArray weights = root.create(new float[] {1f, 2f, 3f, 4f});
            weights.setRequiresGradient(true);
            try (NDManager batch = root.newSubManager()) {
                NDArray grad = weights.getGradient();
                grad.attach(batch);
                grad.addi(batch.create(new float[] {Float.NaN, Float.POSITIVE_INFINITY, -1f, 0.5f}));
                Trainer.clear(List.of(grad));
            }
            System.gc(); // a buffer owned by the closed wrapper would be freed now
            assertArrayEquals(new float[4], weights.getGradient().toFloatArray());
        }
    }
}

package io.collectivekv.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.collectivekv.model.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * The two balance losses on a router that cheats the soft one: nearly flat logits (the mean
 * probability is uniform) whose argmax still sends every token to entry 0.
 */
class BalanceLossTest {
    private static final int TOKENS = 8;
    private static final int M = 4;

    @Test
    void onlyTheLoadLossSeesAnArgmaxThatUsesOneEntry() {
        try (NDManager manager = Engine.getEngine(Trainer.ENGINE).newBaseManager()) {
            NDArray logits = cheatingLogits(manager);
            NDArray index = logits.argMax(-1);
            NDArray mask = manager.ones(new Shape(1, TOKENS));
            NDArray tokens = mask.sum();

            assertEquals(0f, BalanceLoss.KL.of(logits, index, mask, tokens).getFloat(), 1e-4f,
                    "the soft KL is blind to the collapse");
            // f = (1, 0, 0, 0) and P_0 ≈ 1/4 + ε: m · P_0 − 1 ≈ m·ε > 0
            assertTrue(BalanceLoss.LOAD.of(logits, index, mask, tokens).getFloat() > 1e-3f);

            logits.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getEngine(Trainer.ENGINE).newGradientCollector()) {
                collector.backward(BalanceLoss.LOAD.of(logits, index, mask, tokens));
            }
            float[] grad = logits.getGradient().toFloatArray(); // (1, TOKENS, M)
            for (int t = 0; t < TOKENS; t++) {
                assertTrue(grad[t * M] > 0, "a descent step lowers the overused entry's logit");
                for (int j = 1; j < M; j++) {
                    assertTrue(grad[t * M + j] < 0, "and raises the unused ones");
                }
            }
        }
    }

    @Test
    void bothAreZeroWhenTheArgmaxUsesEveryEntryEqually() {
        try (NDManager manager = Engine.getEngine(Trainer.ENGINE).newBaseManager()) {
            float[] sharp = new float[TOKENS * M];
            for (int t = 0; t < TOKENS; t++) {
                sharp[t * M + t % M] = 5f;
            }
            NDArray logits = manager.create(sharp, new Shape(1, TOKENS, M));
            NDArray mask = manager.ones(new Shape(1, TOKENS));
            for (BalanceLoss loss : BalanceLoss.values()) {
                assertEquals(0f, loss.of(logits, logits.argMax(-1), mask, mask.sum()).getFloat(), 1e-5f, loss.id());
            }
        }
    }

    @Test
    void paddingTokensDoNotCount() {
        try (NDManager manager = Engine.getEngine(Trainer.ENGINE).newBaseManager()) {
            // tokens 0..3 are real and use entries 0..3 once each; the padding tokens 4..7 all pick entry 0
            float[] sharp = new float[TOKENS * M];
            float[] real = new float[TOKENS];
            for (int t = 0; t < TOKENS; t++) {
                sharp[t * M + (t < M ? t : 0)] = 5f;
                real[t] = t < M ? 1f : 0f;
            }
            NDArray logits = manager.create(sharp, new Shape(1, TOKENS, M));
            NDArray mask = manager.create(real, new Shape(1, TOKENS));
            NDArray all = manager.ones(new Shape(1, TOKENS));
            for (BalanceLoss loss : BalanceLoss.values()) {
                assertEquals(0f, loss.of(logits, logits.argMax(-1), mask, mask.sum()).getFloat(), 1e-5f, loss.id());
                assertTrue(loss.of(logits, logits.argMax(-1), all, all.sum()).getFloat() > 0.1f, loss.id() + " counting padding");
            }
        }
    }

    @Test
    void anUnknownNameFailsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> BalanceLoss.parse("balance-loss", "entropy"));
        assertTrue(e.getMessage().contains("balance-loss"), e.getMessage());
        assertEquals(BalanceLoss.LOAD, BalanceLoss.parse("balance-loss", "load"));
    }

    /** (1, TOKENS, M): entry 0 ahead of the rest by 0.01 on every token. */
    private static NDArray cheatingLogits(NDManager manager) {
        float[] flat = new float[TOKENS * M];
        for (int t = 0; t < TOKENS; t++) {
            for (int j = 0; j < M; j++) {
                flat[t * M + j] = 8f + (j == 0 ? 0.01f : 0f);
            }
        }
        return manager.create(flat, new Shape(1, TOKENS, M));
    }
}

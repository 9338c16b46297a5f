package io.collectivekv.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.ParameterSpec;
import io.collectivekv.nn.SequenceModel;
import io.collectivekv.nn.Weights;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportedWeightsTest {
    private static final ModelConfig FULL = new ModelConfig(Encoder.HSTU, KvMode.FULL, 16, 2, 2, 2, 8, 10, 30, 4);

    @Test
    void everyWeightReadsBackFromTheGraphBitForBit() {
        SequenceModel model = new SequenceModel(FULL, 0f);
        Weights written = Weights.initialise(model.parameters(), 3L);
        byte[] graph = new OnnxExporter(model, written).prefill();
        Weights read = ExportedWeights.read(graph, model.parameters(), "test artifact");
        for (ParameterSpec spec : model.parameters()) {
            assertArrayEquals(written.values(spec.name()), read.values(spec.name()), spec.name());
            assertArrayEquals(spec.shape(), read.shape(spec.name()), spec.name());
        }
    }

    @Test
    void aWeightTheGraphLacksOrShapesOtherwiseIsNamed() {
        SequenceModel model = new SequenceModel(FULL, 0f);
        byte[] graph = new OnnxExporter(model, Weights.initialise(model.parameters(), 3L)).prefill();
        List<ParameterSpec> collective = new SequenceModel(FULL.withKvMode(KvMode.COLLECTIVE), 0f).parameters();
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> ExportedWeights.read(graph, collective, "m1"));
        assertEquals("m1 has no weight named layer0.key_pool", missing.getMessage());
        List<ParameterSpec> wider = List.of(new ParameterSpec(SequenceModel.ITEM_EMBEDDING, new long[] {40, 16}, ParameterSpec.Init.NORMAL));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> ExportedWeights.read(graph, wider, "m1"));
        assertEquals("m1: weight item_embedding is FLOAT [32, 16], expected FLOAT [40, 16]", shape.getMessage());
    }
}

package io.collectivekv.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.ModelStage;
import io.collectivekv.nn.SequenceModel;
import io.collectivekv.nn.Weights;
import io.collectivekv.train.TinyModels;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every node of the step graph carries the stage it belongs to, so a node profile adds up per stage. */
class StageNamesTest {

    @ParameterizedTest
    @EnumSource(KvMode.class)
    void everyStepNodeNamesItsStageAndEveryStageIsThere(KvMode mode) throws Exception {
        ModelConfig config = TinyModels.config(Encoder.HSTU, mode);
        SequenceModel model = new SequenceModel(config, 0f);
        byte[] step = new OnnxExporter(model, Weights.initialise(model.parameters(), 1L)).step();
        Set<ModelStage> seen = EnumSet.noneOf(ModelStage.class);
        for (NodeProto node : ModelProto.parseFrom(step).getGraph().getNodeList()) {
            String name = node.getName();
            if (name.endsWith("_out")) {
                continue; // the Identity that exposes a graph output under its contract name
            }
            int slash = name.indexOf('/');
            seen.add(ModelStage.valueOf(name.substring(0, Math.max(slash, 0)).toUpperCase(Locale.ROOT)));
        }
        assertEquals(EnumSet.allOf(ModelStage.class), seen);
    }
}

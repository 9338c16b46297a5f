package io.collectivekv.bench;

import io.collectivekv.artifact.ArtifactWriter;
import io.collectivekv.artifact.FloatMatrix;
import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.export.OnnxExporter;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.SequenceModel;
import io.collectivekv.nn.Weights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A model of a given shape with random (seeded) weights, exported exactly as a trained one: the
 * cost of a step depends on the shapes, not on the values, so no training is needed to time it.
 */
final class RandomModel {
    private RandomModel() {}

    static ModelArtifact export(ModelConfig config, Path dir) throws IOException {
        SequenceModel model = new SequenceModel(config, 0f);
        Weights weights = Weights.initialise(model.parameters(), 7L);
        OnnxExporter exporter = new OnnxExporter(model, weights);
        byte[] prefill = exporter.prefill();
        byte[] step = exporter.step();
        StringBuilder items = new StringBuilder("item\trow\n");
        for (int i = 0; i < config.items(); i++) {
            items.append(i).append('\t').append(i + ModelConfig.RESERVED_ROWS).append('\n');
        }
        FloatMatrix table = new FloatMatrix(config.itemRows(), config.d(), weights.values(SequenceModel.ITEM_EMBEDDING));
        Path target = dir.resolve("model");
        new ArtifactWriter(config, ArtifactWriter.modelVersion(config, prefill, step, Instant.now()), prefill, step,
                items.toString().getBytes(StandardCharsets.UTF_8), table, Map.of("weights", "random")).writeDirectory(target);
        return ModelArtifact.open(target);
    }

    static Path tempDir() throws IOException {
        return Files.createTempDirectory("ckv-bench-");
    }
}

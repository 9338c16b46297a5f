package io.collectivekv.export;

import io.collectivekv.artifact.ArtifactManifest;
import io.collectivekv.artifact.ArtifactWriter;
import io.collectivekv.artifact.FloatMatrix;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.SequenceModel;
import io.collectivekv.train.TrainedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Turns a trained model into the artifact the job serves (DESIGN §5): graphs, vocabulary, item table. */
public final class ArtifactExport {
    private ArtifactExport() {}

    /**
     * Writes the artifact as a directory, or as a single archive when {@code target} ends in .zip.
     *
     * @param extra metadata to record beside the training figures (e.g. the data set and command)
     */
    public static ArtifactManifest write(TrainedModel trained, Path target, Map<String, String> extra) throws IOException {
        ModelConfig config = trained.config();
        SequenceModel model = new SequenceModel(config, trained.training().dropout());
        OnnxExporter exporter = new OnnxExporter(model, trained.weights());
        byte[] prefill = exporter.prefill();
        byte[] step = exporter.step();

        byte[] itemsTsv = trained.items().toTsv();
        FloatMatrix table = new FloatMatrix(config.itemRows(), config.d(), trained.weights().values(SequenceModel.ITEM_EMBEDDING));

        Map<String, String> metadata = new LinkedHashMap<>(extra);
        metadata.put("training.best_epoch", Integer.toString(trained.bestEpoch()));
        metadata.put("training.epochs", Integer.toString(trained.epochs()));
        metadata.put("training.seconds", String.format(Locale.ROOT, "%.1f", trained.trainingTime().toMillis() / 1000.0));
        metadata.put("training.negatives", Integer.toString(trained.training().negatives()));
        metadata.put("training.dropout", Float.toString(trained.training().dropout()));
        metadata.put("training.lr_schedule", trained.training().schedule().id());
        metadata.put("training.balance_loss", trained.training().balanceLoss().id());
        if (trained.validation() != null) {
            metadata.put("validation.hr10", String.format(Locale.ROOT, "%.4f", trained.validation().full().hr10()));
            metadata.put("validation.ndcg10", String.format(Locale.ROOT, "%.4f", trained.validation().full().ndcg10()));
        }
        String version = ArtifactWriter.modelVersion(config, prefill, step, Instant.now());
        ArtifactWriter writer = new ArtifactWriter(config, version, prefill, step, itemsTsv, table, metadata);
        if (target.getFileName().toString().endsWith(".zip")) {
            writer.writeZip(target);
        } else {
            writer.writeDirectory(target);
        }
        return writer.manifest();
    }
}

package io.collectivekv.bench;

import io.collectivekv.artifact.ArtifactFormat;
import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.data.EncodedSequences;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.data.UserSequences;
import io.collectivekv.export.ArtifactExport;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.SequenceModel;
import io.collectivekv.nn.Weights;
import io.collectivekv.train.TrainedModel;
import io.collectivekv.train.Trainer;
import io.collectivekv.train.BalanceLoss;
import io.collectivekv.train.LearningRateSchedule;
import io.collectivekv.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark's two artifacts, one per kv mode, with the same shape (the default model, d = 64,
 * 2 layers, at window W), so that their state sizes compare; cache mode {@code none} serves the
 * collective one. Made once and reused from {@code models/bench-<cache shape>-w<W>-<weights>-<data>}.
 */
public final class BenchModels {
    /** Training budget: one epoch, validation on 500 users. Quality is not what the benchmark measures. */
    public static TrainingConfig training(int window) {
        return new TrainingConfig(1, 128, 1e-3f, LearningRateSchedule.CONSTANT, 256, 0.2f, window, 1, 1f, 1f, BalanceLoss.KL, 0.01f, 500, 1f, 42L);
    }

    private BenchModels() {}

    /**
     * Pool entries of the benchmark's collective model. The default model's 4,096 are fitted to a
     * trained full model, which the benchmark does not have; 1,024 trains from scratch in its
     * one-epoch budget, and BENCHMARKS.md prices the wider router separately (microbenchmarks).
     */
    static final int POOL_SIZE = 1024;

    /** The shape both artifacts share, for a catalogue of {@code items}. */
    public static ModelConfig shape(int items, int window, KvMode mode) {
        return ModelConfig.defaults(items).withPoolSize(POOL_SIZE).withWindow(window).withKvMode(mode);
    }

    /**
     * The artifacts by kv mode: those in {@code modelDir} ({@code collective/} and {@code full/}) if
     * given, else the cached ones under models/, made now if missing.
     *
     * @param weights   "trained" (one epoch) or "random" (seeded initial weights: the cost of an event does
     *                  not depend on the weights' values)
     * @param dataLabel names the data in the cache directory and the manifest
     * @param progress  where training shows its progress bar
     */
    public static Map<KvMode, Path> prepare(UserSequences data, String dataLabel, int window, String weights, Path modelDir,
            PrintWriter out, PrintStream progress) throws IOException {
        Map<KvMode, Path> paths = new EnumMap<>(KvMode.class);
        for (KvMode mode : new KvMode[] {KvMode.COLLECTIVE, KvMode.FULL}) {
            Path dir;
            if (modelDir != null) {
                dir = modelDir.resolve(mode.id());
                if (!Files.isRegularFile(dir.resolve(ArtifactFormat.MANIFEST))) {
                    throw new IllegalArgumentException(dir + ": no model artifact (--model-dir needs collective/ and full/)");
                }
            } else {
                // The shape is in the name: models made under an older default shape are not reused.
                String id = Integer.toHexString(dataLabel.hashCode());
                dir = Path.of("models", "bench-" + shape(1, window, mode).cacheShapeId() + "-w" + window + "-" + weights + "-" + id);
                if (!Files.isRegularFile(dir.resolve(ArtifactFormat.MANIFEST))) {
                    make(data, dataLabel, dir, window, mode, weights, out, progress);
                } else {
                    out.printf("reusing %s model %s%n", mode.id(), dir);
                }
            }
            ModelConfig c = ModelArtifact.open(dir).config();
            if (c.kvMode() != mode || c.window() != window) {
                throw new IllegalArgumentException(dir + ": a " + c.kvMode().id() + " model at W = " + c.window()
                        + ", not " + mode.id() + " at W = " + window + " (--window)");
            }
            paths.put(mode, dir);
        }
        ModelConfig a = ModelArtifact.open(paths.get(KvMode.COLLECTIVE)).config();
        ModelConfig b = ModelArtifact.open(paths.get(KvMode.FULL)).config();
        if (a.d() != b.d() || a.layers() != b.layers() || a.window() != b.window() || a.items() != b.items()) {
            throw new IllegalArgumentException("the collective and full models differ in d, layers, W or items: state sizes would not compare");
        }
        out.flush();
        return paths;
    }

    /** Writes one artifact: trained for {@link #training} or with seeded random weights. */
    public static void make(UserSequences users, String dataLabel, Path dir, int window, KvMode mode, String weights,
            PrintWriter out, PrintStream progress) throws IOException {
        ItemIndex index = ItemIndex.of(users);
        ModelConfig config = shape(index.size(), window, mode);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("data", dataLabel);
        metadata.put("command", "ckv bench");
        metadata.put("weights", weights);
        TrainedModel model;
        if (weights.equals("random")) {
            out.printf("writing a %s model with random weights (seed 42) to %s%n", mode.id(), dir);
            out.flush();
            Weights w = Weights.initialise(new SequenceModel(config, 0f).parameters(), 42L);
            model = new TrainedModel(config, w, index, null, 0, 0, training(window), Duration.ZERO);
        } else {
            out.printf("training a %s model (1 epoch) on %s; kept in %s for next time%n", mode.id(), dataLabel, dir);
            out.flush();
            model = new Trainer(config, training(window), progress).train(EncodedSequences.encode(users, index));
        }
        Files.createDirectories(dir.getParent() == null ? Path.of(".") : dir.getParent());
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
        KafkaBroker.deleteTree(tmp);
        ArtifactExport.write(model, tmp, metadata);
        Files.move(tmp, dir);
    }
}

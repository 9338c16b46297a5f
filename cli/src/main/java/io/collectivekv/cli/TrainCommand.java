package io.collectivekv.cli;

import io.collectivekv.artifact.ArtifactManifest;
import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.data.EncodedSequences;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.data.UserSequences;
import io.collectivekv.export.ArtifactExport;
import io.collectivekv.export.ExportedWeights;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.SequenceModel;
import io.collectivekv.nn.Weights;
import io.collectivekv.train.CollectiveWarmStart;
import io.collectivekv.train.TrainedModel;
import io.collectivekv.train.Trainer;
import io.collectivekv.train.TrainingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains a model and exports it as an artifact (ONNX prefill + step graphs, vocabulary, item table). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model (DJL, PyTorch engine) and export it as a model artifact.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Option(names = "--out", required = true, description = "artifact to write: a new directory, or a file ending in .zip")
    Path out;

    @Option(names = "--quiet", description = "no progress bar or per-epoch lines")
    boolean quiet;

    @Option(names = "--init-from", paramLabel = "ARTIFACT",
            description = "start a collective model from this trained full model (same data, encoder, d, layers, heads, window):"
                    + " shared weights copied, pools and routers fitted to its keys and values (default: fresh weights)")
    Path initFrom;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The largest pool QUALITY.md trains from scratch; larger ones are sized for --init-from. */
    private static final int FROM_SCRATCH_POOL_SIZE = 1024;

    @Override
    public Integer call() throws Exception {
        TrainingConfig recipe = training.toConfig(); // a bad training flag fails before the data is read
        UserSequences users = data.read();
        ItemIndex index = ItemIndex.of(users);
        EncodedSequences encoded = EncodedSequences.encode(users, index);
        ModelConfig config = model.toConfig(index.size());
        var stdout = spec.commandLine().getOut();
        stdout.printf("training %s/%s on %s: %d users, %d items, %d interactions%n",
                config.encoder().id(), config.kvMode().id(), data.describe(), encoded.userCount(), index.size(), encoded.interactionCount());
        stdout.flush();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("data", data.describe());
        metadata.put("command", Invocation.of(spec));
        if (initFrom == null && config.kvMode() == KvMode.COLLECTIVE && config.poolSize() > FROM_SCRATCH_POOL_SIZE) {
            System.err.printf("note: a pool of %d trains slowly from scratch (about 10x a batch of --pool-size %d);"
                    + " the default is sized for --init-from (QUALITY.md)%n", config.poolSize(), FROM_SCRATCH_POOL_SIZE);
        }
        long fitStarted = System.nanoTime();
        Weights start = initFrom == null ? null : fittedStart(config, index, encoded, recipe.seed(), metadata);
        Duration fit = Duration.ofNanos(System.nanoTime() - fitStarted);
        // The time to fit the start counts as this model's training time; the start's own is recorded apart.
        TrainedModel trained = new Trainer(config, recipe, quiet ? null : System.err).train(encoded, start).plusTime(fit);
        ArtifactManifest manifest = ArtifactExport.write(trained, out, metadata);
        stdout.println(MetricsReport.format("best validation, epoch " + trained.bestEpoch(), trained.validation()));
        stdout.printf("wrote %s (model version %s) in %.1f s%n", out, manifest.modelVersion(), trained.trainingTime().toMillis() / 1000.0);
        return 0;
    }

    /** The collective start fitted to the --init-from full model; records where it came from in {@code metadata}. */
    private Weights fittedStart(ModelConfig config, ItemIndex index, EncodedSequences encoded, long seed, Map<String, String> metadata) {
        ModelArtifact source = ModelArtifact.open(initFrom);
        if (!Arrays.equals(source.itemIndex().toTsv(), index.toTsv())) {
            throw new IllegalArgumentException("--init-from " + initFrom + ": its item vocabulary differs from " + data.describe()
                    + "'s (train both on the same file and --min-item-count)");
        }
        Weights fullWeights = ExportedWeights.read(source.prefillGraph(), new SequenceModel(source.config(), 0f).parameters(), "--init-from " + initFrom);
        Weights start = CollectiveWarmStart.fromFull(source.config(), fullWeights, config, encoded, seed);
        metadata.put("training.init_from", source.modelVersion());
        metadata.put("training.init_from_seconds", source.manifest().metadata().getOrDefault("training.seconds", "unknown"));
        return start;
    }
}

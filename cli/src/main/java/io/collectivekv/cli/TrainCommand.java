package io.collectivekv.cli;

import io.collectivekv.artifact.ArtifactManifest;
import io.collectivekv.data.EncodedSequences;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.data.UserSequences;
import io.collectivekv.export.ArtifactExport;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.train.TrainedModel;
import io.collectivekv.train.Trainer;
import io.collectivekv.train.TrainingConfig;
import java.nio.file.Path;
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

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

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
        TrainedModel trained = new Trainer(config, recipe, quiet ? null : System.err).train(encoded);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("data", data.describe());
        metadata.put("command", Invocation.of(spec));
        ArtifactManifest manifest = ArtifactExport.write(trained, out, metadata);
        stdout.println(MetricsReport.format("best validation, epoch " + trained.bestEpoch(), trained.validation()));
        stdout.printf("wrote %s (model version %s) in %.1f s%n", out, manifest.modelVersion(), trained.trainingTime().toMillis() / 1000.0);
        return 0;
    }
}

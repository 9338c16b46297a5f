package io.collectivekv.cli;

import io.collectivekv.artifact.ArtifactFormat;
import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.data.EncodedSequences;
import io.collectivekv.data.UserSequences;
import io.collectivekv.eval.EvaluationReport;
import io.collectivekv.eval.Evaluator;
import io.collectivekv.eval.LeaveOneOutSplit;
import io.collectivekv.export.ArtifactExport;
import io.collectivekv.inference.ModelSession;
import io.collectivekv.inference.PrefillScorer;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.train.TrainedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The round trip on one machine in about a minute: data → train (PyTorch) → export (ONNX) →
 * load and verify the artifact → evaluate through ONNX Runtime → cache sizes.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a small collective HSTU model on the built-in synthetic data (or --data), export it, "
                + "evaluate the artifact through ONNX Runtime and print its cache size.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--out", description = "where to write the demo artifact; replaced if it holds an earlier artifact (default: ${DEFAULT-VALUE})")
    Path out = Path.of("models", "demo");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        UserSequences users = data.read();
        stdout.printf("1/4 train %s/%s on %s: %d users, %d interactions%n", QuickModel.SHAPE.encoder().id(),
                QuickModel.SHAPE.kvMode().id(), data.describe(), users.userCount(), users.interactionCount());
        stdout.flush();
        TrainedModel trained = QuickModel.train(users, System.err);
        ModelConfig config = trained.config();
        EncodedSequences encoded = EncodedSequences.encode(users, trained.items());

        replaceEarlierArtifact(out);
        var manifest = ArtifactExport.write(trained, out, Map.of("data", data.describe(), "command", "ckv demo"));
        stdout.printf("2/4 exported %s to %s (prefill.onnx + step.onnx + items.tsv + item_embeddings.npy)%n", manifest.modelVersion(), out);

        ModelArtifact artifact = ModelArtifact.open(out);
        stdout.printf("3/4 verified every sha256 of %s; evaluating through ONNX Runtime%n", artifact.location());
        try (ModelSession session = ModelSession.open(artifact, 0)) {
            EvaluationReport report = new Evaluator(256, 42L).evaluate(new PrefillScorer(session), LeaveOneOutSplit.of(encoded).test());
            stdout.println(MetricsReport.format("test split", report));
        }
        stdout.println("4/4 cache size");
        CacheSizeCommand.print(stdout, config);
        stdout.printf("done in %.1f s of training; evaluate again with: bin/ckv eval --model %s%s%n",
                trained.trainingTime().toMillis() / 1000.0, out, data.file == null ? "" : " --data " + data.file);
        return 0;
    }

    /** Only ever deletes a directory that is an artifact (has a manifest), never anything else. */
    private static void replaceEarlierArtifact(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isRegularFile(dir.resolve(ArtifactFormat.MANIFEST))) {
            throw new IllegalArgumentException("--out " + dir + " exists and is not a model artifact; choose another path");
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

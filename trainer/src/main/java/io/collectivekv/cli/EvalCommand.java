package io.collectivekv.cli;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.data.EncodedSequences;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.eval.EvaluationReport;
import io.collectivekv.eval.Evaluator;
import io.collectivekv.eval.LeaveOneOutSplit;
import io.collectivekv.inference.ModelSession;
import io.collectivekv.inference.PrefillScorer;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Offline metrics of an artifact, through the exported prefill graph on ONNX Runtime. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model artifact: leave-one-out, full ranking with seen items masked, and 100 sampled negatives.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model artifact (directory or .zip)")
    Path modelPath;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--split", description = "test | validation (default: ${DEFAULT-VALUE})")
    String split = "test";

    @Option(names = "--batch-size", description = "users per inference batch (default: ${DEFAULT-VALUE})")
    int batchSize = 256;

    @Option(names = "--threads", description = "ONNX Runtime threads, 0 = all cores (default: ${DEFAULT-VALUE})")
    int threads = 0;

    @Option(names = "--seed", description = "seed of the sampled negatives (default: ${DEFAULT-VALUE})")
    long seed = 42L;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!split.equals("test") && !split.equals("validation")) {
            throw new IllegalArgumentException("--split = " + split + ": expected test or validation");
        }
        ModelArtifact artifact = ModelArtifact.open(modelPath);
        ItemIndex index;
        try (InputStream in = artifact.itemVocabulary()) {
            index = ItemIndex.read(in, modelPath.resolve("items.tsv").toString());
        }
        EncodedSequences encoded = EncodedSequences.encode(data.read(), index);
        LeaveOneOutSplit loo = LeaveOneOutSplit.of(encoded);
        try (ModelSession session = ModelSession.open(artifact, threads)) {
            EvaluationReport report = new Evaluator(batchSize, seed)
                    .evaluate(new PrefillScorer(session), split.equals("test") ? loo.test() : loo.validation());
            spec.commandLine().getOut().println(MetricsReport.format(
                    artifact.modelVersion() + " on " + data.describe() + ", " + split + " split", report));
        }
        return 0;
    }
}

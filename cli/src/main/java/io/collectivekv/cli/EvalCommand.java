package io.collectivekv.cli;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.cache.CacheCodec;
import io.collectivekv.cache.Precision;
import io.collectivekv.data.EncodedSequences;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.eval.EvaluationReport;
import io.collectivekv.eval.Evaluator;
import io.collectivekv.eval.LeaveOneOutSplit;
import io.collectivekv.eval.SequenceScorer;
import io.collectivekv.inference.ModelSession;
import io.collectivekv.inference.PrefillScorer;
import io.collectivekv.inference.StepScorer;
import io.collectivekv.quality.QualityLedger;
import io.collectivekv.quality.QualityRow;
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

    @Mixin
    OfflineInferenceOptions inference = new OfflineInferenceOptions();

    @Option(names = "--path", description = "prefill: encode each history at once; step: prefill all but the last item, "
            + "pass the cache through the state codec, then one incremental step, as the job does (default: ${DEFAULT-VALUE})")
    String path = "prefill";

    @Option(names = "--cache-precision", description = "fp32 | fp16: float precision of the cache in state, with --path step (default: ${DEFAULT-VALUE})")
    String cachePrecision = "fp32";

    @Option(names = "--seed", description = "seed of the sampled negatives (default: ${DEFAULT-VALUE})")
    long seed = 42L;

    @Option(names = "--record", description = "add the test figures as a row of this quality ledger (e.g. docs/quality.json); "
            + "a row with the same training command is replaced; its cache size is at the precision measured: fp32 through "
            + "prefill, --cache-precision through step")
    Path record;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!split.equals("test") && !split.equals("validation")) {
            throw new IllegalArgumentException("--split = " + split + ": expected test or validation");
        }
        if (!path.equals("prefill") && !path.equals("step")) {
            throw new IllegalArgumentException("--path = " + path + ": expected prefill or step");
        }
        if (record != null && !split.equals("test")) {
            throw new IllegalArgumentException("--record takes the test split, the protocol of the ledger (validation is for selection)");
        }
        Precision precision = Precision.parse("--cache-precision", cachePrecision);
        if (path.equals("prefill") && precision != Precision.FP32) {
            throw new IllegalArgumentException("--cache-precision = " + cachePrecision
                    + ": prefill keeps no cache in state; use it with --path step");
        }
        ModelArtifact artifact = ModelArtifact.open(modelPath);
        ItemIndex index = artifact.itemIndex();
        EncodedSequences encoded = EncodedSequences.encode(data.read(), index);
        LeaveOneOutSplit loo = LeaveOneOutSplit.of(encoded);
        try (ModelSession session = ModelSession.open(artifact, inference.threads())) {
            SequenceScorer scorer = path.equals("prefill")
                    ? new PrefillScorer(session)
                    : new StepScorer(session, new CacheCodec(artifact.config(), precision));
            EvaluationReport report = new Evaluator(inference.batchSize(), seed).evaluate(scorer, split.equals("test") ? loo.test() : loo.validation());
            String how = path.equals("prefill") ? "prefill" : "step over a " + precision.id() + " cache";
            spec.commandLine().getOut().println(MetricsReport.format(
                    artifact.modelVersion() + " on " + data.describe() + ", " + split + " split, " + how, report));
            if (record != null) {
                QualityLedger.read(record).with(QualityRow.of(data.datasetName(), artifact, report, precision, Invocation.of(spec))).write(record);
                spec.commandLine().getOut().println("recorded in " + record);
            }
        }
        return 0;
    }
}

package io.collectivekv.cli;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.cache.PoolUsage;
import io.collectivekv.data.EncodedSequences;
import io.collectivekv.eval.EvaluationCases;
import io.collectivekv.eval.LeaveOneOutSplit;
import io.collectivekv.inference.Inference;
import io.collectivekv.inference.ModelSession;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Which pool entries a collective model's caches actually store, over every user of a data set:
 * the check that the router spreads tokens over the pool it was given.
 */
@Command(name = "pool-usage", mixinStandardHelpOptions = true,
        description = "Prefill every user's history (all but the test item) with a collective model and print, per layer and side, "
                + "how many pool entries the caches use and how evenly.")
final class PoolUsageCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "collective model artifact (directory or .zip)")
    Path modelPath;

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    OfflineInferenceOptions inference = new OfflineInferenceOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int batchSize = inference.batchSize();
        ModelArtifact artifact = ModelArtifact.open(modelPath);
        PoolUsage usage = new PoolUsage(artifact.config());
        EvaluationCases users = LeaveOneOutSplit.of(EncodedSequences.encode(data.read(), artifact.itemIndex())).test();
        try (ModelSession session = ModelSession.open(artifact, inference.threads())) {
            for (int from = 0; from < users.size(); from += batchSize) {
                for (Inference prefilled : session.prefill(users.histories(from, Math.min(users.size(), from + batchSize)))) {
                    usage.add(prefilled.cache());
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s on %s: %,d users, their last W = %d items each%n",
                artifact.modelVersion(), data.describe(), users.size(), artifact.config().window());
        out.printf("layer  side   tokens       entries used of %,d   perplexity   largest entry%n", usage.poolSize());
        for (int layer = 0; layer < usage.layers(); layer++) {
            print(out, layer, "key", usage.key(layer));
            print(out, layer, "value", usage.value(layer));
        }
        return 0;
    }

    private static void print(PrintWriter out, int layer, String side, PoolUsage.Side s) {
        out.printf("%5d  %-5s  %,11d  %,21d   %,10.0f   %12.2f%%%n", layer, side, s.tokens(), s.used(), s.perplexity(), 100 * s.largest());
    }
}

package io.collectivekv.cli;

import io.collectivekv.rollout.Rollout;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Restarts the job from a pre-rollout savepoint with the model it was taken under. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Restart the job from a pre-rollout savepoint with the model that savepoint was taken under (or --model), "
                + "stopping the running job with a savepoint first. Events since that savepoint are read again from Kafka.")
final class RollbackCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--savepoint", required = true, description = "the pre-rollout savepoint that `rollout` printed")
    String savepoint;

    @Option(names = "--model", description = "model to restart with (default: the one the savepoint records)")
    String model;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Rollout.Result r = new Rollout(cluster.flink(), out)
                .rollback(cluster.submission(), savepoint, model, cluster.jobId, cluster.savepointDir());
        out.printf(Locale.ROOT, "rolled back to %s: job %s running from %s%n", r.modelVersion(), r.jobId(), r.restoredFrom());
        if (r.savepoint() != null) {
            out.printf(Locale.ROOT, "  savepoint of the job it replaced: %s%n", r.savepoint());
        }
        out.printf(Locale.ROOT, "  downtime:          %.1f s%n", r.downtime().toMillis() / 1000.0);
        out.printf(Locale.ROOT, "  caches to rebuild: %d of %d users%n", r.cachesToRebuild(), r.users());
        out.flush();
        return 0;
    }
}

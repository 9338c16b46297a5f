package io.collectivekv.cli;

import io.collectivekv.rollout.Rollout;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Rolls a new model out to the running job through a savepoint. */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Stop the running job with a savepoint and restart it from that savepoint with a new model "
                + "(--reencode: after re-encoding every user's cache with it, so nothing is rebuilt on the fly). "
                + "Checks the model, the job and the jar before touching the job.")
final class RolloutCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--model", required = true, description = "the new model artifact (directory or .zip; the cluster must read the same path)")
    String model;

    @Option(names = "--reencode", description = "re-encode every user's cache with the new model before restarting (default: rebuild lazily)")
    boolean reencode;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Rollout.Result r = new Rollout(cluster.flink(), out)
                .rollout(cluster.submission().withModel(model), reencode, cluster.jobId, cluster.savepointDir());
        out.printf(Locale.ROOT, "rolled out %s: job %s running%n", r.modelVersion(), r.jobId());
        out.printf(Locale.ROOT, "  pre-rollout savepoint: %s%n", r.savepoint());
        out.printf(Locale.ROOT, "  restored from:         %s%n", r.restoredFrom());
        out.printf(Locale.ROOT, "  downtime:              %.1f s%n", r.downtime().toMillis() / 1000.0);
        out.printf(Locale.ROOT, "  caches to rebuild:     %d of %d users%n", r.cachesToRebuild(), r.users());
        out.printf(Locale.ROOT, "  to undo:               ckv rollback --rest-url %s --savepoint %s%n", cluster.restUrl, r.savepoint());
        out.flush();
        return 0;
    }
}

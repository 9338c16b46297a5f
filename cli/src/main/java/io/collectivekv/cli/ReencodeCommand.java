package io.collectivekv.cli;

import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.savepoint.Savepoints;
import io.collectivekv.job.serve.ServingModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Offline: a savepoint's user caches re-encoded with another model, written as a new savepoint. */
@Command(name = "reencode", mixinStandardHelpOptions = true,
        description = "Read a savepoint of the job (State Processor API), re-encode every user's cache with a model "
                + "(prefill from the stored window) and write a new savepoint; start the job from it with that model "
                + "as model.uri and it serves with no rebuild spike. `rollout --reencode` does this between stop and restart.")
final class ReencodeCommand implements Callable<Integer> {
    @Option(names = "--savepoint", required = true, description = "the savepoint to read")
    String savepoint;

    @Option(names = "--model", required = true, description = "the model to re-encode with")
    String model;

    @Option(names = "--out", required = true, description = "where to write the new savepoint (must not exist)")
    String out;

    @Option(names = "--job-config", description = "the job's settings file (cache.mode, cache.precision and state.ttl.ms matter; default: the defaults)")
    Path jobConfig;

    @Option(names = "--set", description = "job setting override, key=value (repeatable)")
    Map<String, String> settings = new HashMap<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        JobConfig config = JobConfig.load(jobConfig, settings).with(JobSettings.MODEL_URI, model);
        String cacheId;
        try (ServingModel m = ServingModel.load(model, null, config)) {
            cacheId = m.cacheId();
        }
        long started = System.nanoTime();
        Savepoints.reencode(savepoint, out, config);
        Savepoints.Census census = Savepoints.census(out, config, cacheId);
        w.printf(Locale.ROOT, "re-encoded %d users (%d events) in %.1f s into %s; caches left to rebuild: %d%n",
                census.users(), census.events(), (System.nanoTime() - started) / 1e9, out, census.cachesToRebuild());
        w.flush();
        return 0;
    }
}

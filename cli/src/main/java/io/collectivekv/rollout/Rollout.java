package io.collectivekv.rollout;

import io.collectivekv.job.savepoint.Savepoints;
import io.collectivekv.job.serve.ServingModel;
import io.collectivekv.job.wire.Release;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * Model rollouts through savepoints, against a running cluster: stop the job with a savepoint,
 * optionally re-encode every user's cache with the new model, restart from it with the new model;
 * and roll back to a pre-rollout savepoint. Everything that can be checked is checked before the
 * running job is touched; a failure after the stop restarts the previous job from its savepoint.
 */
public final class Rollout {
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private final FlinkRest flink;
    private final PrintWriter log;

    /**
     * @param savepoint       the savepoint taken at the stop (a rollback's target)
     * @param restoredFrom    what the new job started from (the savepoint, or its re-encoded copy)
     * @param downtime        from the stop request until every task of the new job runs
     * @param cachesToRebuild user caches the new job rebuilds lazily (0 after a re-encode)
     */
    public record Result(String jobId, String savepoint, String restoredFrom, String modelVersion, long users,
            long cachesToRebuild, Duration downtime) {}

    public Rollout(FlinkRest flink, PrintWriter log) {
        this.flink = flink;
        this.log = log;
    }

    /**
     * Replaces the running job's model by {@code next.modelUri()}.
     *
     * @param jobId         the job to roll, or null for the only running recommender job
     * @param savepointDir  where the savepoint goes
     */
    public Result rollout(JobSubmission next, boolean reencode, String jobId, String savepointDir) {
        String version = verify(next);
        String running = runningJob(jobId);
        String jarId = flink.uploadJar(next.jar());
        say("verified %s (model %s); job %s is running; jar uploaded as %s", next.modelUri(), version, running, jarId);

        long stopped = System.nanoTime();
        String savepoint = flink.stopWithSavepoint(running, savepointDir, STOP_TIMEOUT);
        say("job %s stopped with savepoint %s", running, savepoint);
        try {
            String restoreFrom = savepoint;
            if (reencode) {
                restoreFrom = savepoint + "-reencoded-" + version.replaceAll("[^A-Za-z0-9._-]", "_");
                Savepoints.reencode(savepoint, restoreFrom, next.config());
                say("re-encoded every user's cache with %s into %s", version, restoreFrom);
            }
            String jobIdNew = next.start(flink, jarId, restoreFrom, START_TIMEOUT);
            Duration downtime = Duration.ofNanos(System.nanoTime() - stopped);
            // Counted while the new job already serves: the census only reads the savepoint.
            Savepoints.Census census = census(restoreFrom, next);
            return new Result(jobIdNew, savepoint, restoreFrom, version, census.users(), census.cachesToRebuild(), downtime);
        } catch (RuntimeException e) {
            throw restartPrevious(next, jarId, savepoint, e);
        }
    }

    /**
     * Restarts from a pre-rollout savepoint with the model it was taken under (or {@code model}),
     * stopping the running job first if there is one. Events since that savepoint are read again
     * from Kafka, so none is lost; they are served by the old model.
     */
    public Result rollback(JobSubmission job, String savepoint, String model, String jobId, String savepointDir) {
        String uri = model;
        if (uri == null) {
            Release configured = Savepoints.configuredModel(savepoint);
            if (configured == null) {
                throw new IllegalArgumentException("savepoint " + savepoint + " records no model (a re-encoded copy?): pass --model");
            }
            uri = configured.artifactUri;
        }
        JobSubmission previous = job.withModel(uri);
        String version = verify(previous);
        Savepoints.Census census = census(savepoint, previous);
        String jarId = flink.uploadJar(previous.jar());
        List<FlinkRest.Job> running = runningJobs(jobId);
        long stopped = System.nanoTime();
        String current = null;
        if (!running.isEmpty()) {
            current = flink.stopWithSavepoint(running.get(0).id(), savepointDir, STOP_TIMEOUT);
            say("job %s stopped with savepoint %s (kept, in case the rollback itself is to be undone)", running.get(0).id(), current);
        }
        String jobIdNew = previous.start(flink, jarId, savepoint, START_TIMEOUT);
        return new Result(jobIdNew, current, savepoint, version, census.users(), census.cachesToRebuild(),
                Duration.ofNanos(System.nanoTime() - stopped));
    }

    /** Loads the model the way the job will (verification, kv mode against cache.mode, ORT session); returns its version. */
    private static String verify(JobSubmission job) {
        try (ServingModel model = ServingModel.load(job.modelUri(), null, job.config())) {
            return model.version();
        }
    }

    private Savepoints.Census census(String savepoint, JobSubmission job) {
        try (ServingModel model = ServingModel.load(job.modelUri(), null, job.config())) {
            return Savepoints.census(savepoint, job.config(), model.cacheId());
        }
    }

    private String runningJob(String jobId) {
        List<FlinkRest.Job> running = runningJobs(jobId);
        if (running.isEmpty()) {
            throw new RolloutException("no running " + (jobId != null ? "job " + jobId : "job named " + JobSubmission.JOB_NAME)
                    + " at " + flink.base() + "; nothing was changed");
        }
        if (running.size() > 1) {
            throw new RolloutException(running.size() + " running jobs named " + JobSubmission.JOB_NAME + " at " + flink.base()
                    + ": pass --job-id; nothing was changed");
        }
        return running.get(0).id();
    }

    private List<FlinkRest.Job> runningJobs(String jobId) {
        return flink.jobs().stream()
                .filter(j -> j.state().equals("RUNNING"))
                .filter(j -> jobId != null ? j.id().equals(jobId) : j.name().equals(JobSubmission.JOB_NAME))
                .toList();
    }

    /** After a failure past the stop: the previous job again, from the savepoint just taken, as it was. */
    private RolloutException restartPrevious(JobSubmission next, String jarId, String savepoint, RuntimeException cause) {
        try {
            Release configured = Savepoints.configuredModel(savepoint);
            JobSubmission previous = next.withModel(configured.artifactUri);
            String jobId = previous.start(flink, jarId, savepoint, START_TIMEOUT);
            return new RolloutException("rollout failed after the stop (" + cause.getMessage() + "); the previous job runs again as "
                    + jobId + " from " + savepoint, cause);
        } catch (RuntimeException again) {
            return new RolloutException("rollout failed after the stop (" + cause.getMessage() + ") and the restart of the previous job "
                    + "failed too (" + again.getMessage() + "): restart it with `ckv rollback --savepoint " + savepoint + "`", cause);
        }
    }

    private void say(String format, Object... args) {
        log.printf(format + "%n", args);
        log.flush();
    }
}

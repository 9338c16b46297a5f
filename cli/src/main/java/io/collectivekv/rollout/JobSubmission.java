package io.collectivekv.rollout;

import io.collectivekv.job.RecommenderJob;
import io.collectivekv.job.RecommenderJobMain;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * How the job is (re)submitted: the shaded job jar and the job's settings, passed whole as program
 * arguments so the cluster needs no copy of the settings file.
 */
public record JobSubmission(Path jar, JobConfig config) {
    public static final String ENTRY_CLASS = RecommenderJobMain.class.getName();
    public static final String JOB_NAME = RecommenderJob.NAME;

    public JobSubmission withModel(String modelUri) {
        return new JobSubmission(jar, config.with(JobSettings.MODEL_URI, modelUri));
    }

    public String modelUri() {
        return config.get(JobSettings.MODEL_URI);
    }

    /** Uploads the jar and starts the job (from {@code savepoint} unless null); returns its id once every task runs. */
    String start(FlinkRest flink, String jarId, String savepoint, java.time.Duration timeout) {
        List<String> args = config.toProgramArgs();
        String jobId = flink.runJar(jarId, ENTRY_CLASS, args, config.get(JobSettings.PARALLELISM), savepoint);
        flink.awaitRunning(jobId, timeout);
        return jobId;
    }
}

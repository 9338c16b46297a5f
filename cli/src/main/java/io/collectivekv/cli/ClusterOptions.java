package io.collectivekv.cli;

import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.rollout.FlinkRest;
import io.collectivekv.rollout.JobSubmission;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which cluster, which running job, and how to resubmit it: shared by rollout and rollback. */
final class ClusterOptions {
    @Option(names = "--rest-url", description = "Flink REST endpoint (default: ${DEFAULT-VALUE})")
    URI restUrl = URI.create("http://127.0.0.1:8081");

    @Option(names = "--job-id", description = "the job to stop (default: the only running job named " + JobSubmission.JOB_NAME + ")")
    String jobId;

    @Option(names = "--jar", description = "the shaded job jar to (re)submit (default: ${DEFAULT-VALUE})")
    Path jar = Path.of("flink-job", "target", "collectivekv-flink-job-0.1.0-SNAPSHOT-job.jar");

    @Option(names = "--job-config", description = "the job's settings file, as submitted (default: the defaults in deploy/recommender.properties)")
    Path jobConfig;

    @Option(names = "--set", description = "job setting override, key=value (repeatable)")
    Map<String, String> settings = new HashMap<>();

    @Option(names = "--savepoint-dir", description = "where savepoints go (default: the job's checkpoint.dir)")
    String savepointDir;

    FlinkRest flink() {
        return new FlinkRest(restUrl);
    }

    JobSubmission submission() {
        return new JobSubmission(jar, config());
    }

    JobConfig config() {
        return JobConfig.load(jobConfig, settings);
    }

    String savepointDir() {
        return savepointDir != null ? savepointDir : config().get(JobSettings.CHECKPOINT_DIR);
    }
}

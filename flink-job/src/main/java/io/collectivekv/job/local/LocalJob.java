package io.collectivekv.job.local;

import io.collectivekv.job.RecommenderJob;
import io.collectivekv.job.config.JobConfig;
import java.time.Duration;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The job on an in-JVM MiniCluster (RocksDB state), bound to 127.0.0.1, optionally with the web UI. */
public final class LocalJob {
    private LocalJob() {}

    /**
     * Submits the job and waits until it runs.
     *
     * @param extra   Flink settings on top of the job's own (e.g. the restart strategy)
     * @param webPort port of the Flink web UI, or -1 for none
     */
    public static JobClient start(JobConfig config, Configuration extra, int webPort) throws Exception {
        Configuration flink = RecommenderJob.flinkConfiguration(config);
        flink.addAll(extra);
        flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        flink.set(RestOptions.ADDRESS, "127.0.0.1");
        flink.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        flink.set(TaskManagerOptions.HOST, "127.0.0.1");
        flink.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        StreamExecutionEnvironment env;
        if (webPort >= 0) {
            flink.set(RestOptions.PORT, webPort);
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        } else {
            env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        }
        RecommenderJob.buildOnKafka(env, config);
        JobClient client = env.executeAsync(RecommenderJob.NAME);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JobStatus status;
        while ((status = client.getJobStatus().get()) != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline || status.isGloballyTerminalState()) {
                throw new IllegalStateException("the job did not start: " + status);
            }
            Thread.sleep(100);
        }
        return client;
    }
}

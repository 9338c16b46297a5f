package io.collectivekv.job.it;

import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.local.LocalJob;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;

/** The job on a local MiniCluster (RocksDB state), against a real broker, until closed. */
final class RunningJob implements AutoCloseable {
    private final JobClient client;

    private RunningJob(JobClient client) {
        this.client = client;
    }

    static RunningJob start(JobConfig config) throws Exception {
        Configuration extra = new Configuration();
        // A failing job must fail the test, not retry forever (STACK.md trap 3).
        extra.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return new RunningJob(LocalJob.start(config, extra, -1));
    }

    JobStatus status() throws Exception {
        return client.getJobStatus().get();
    }

    @Override
    public void close() throws Exception {
        if (!client.getJobStatus().get().isGloballyTerminalState()) {
            client.cancel().get();
        }
    }
}

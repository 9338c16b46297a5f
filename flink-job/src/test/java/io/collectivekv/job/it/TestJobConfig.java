package io.collectivekv.job.it;

import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The job's settings in an integration test: topics of its own, parallelism 2, a checkpoint every second. */
final class TestJobConfig {
    private TestJobConfig() {}

    /**
     * @param topics prefix of the run's four topics ({@code <prefix>interactions}, {@code recommendations},
     *               {@code dlq}, {@code releases}), which the test creates
     */
    static JobConfig of(String bootstrapServers, String topics, Path model, Path checkpoints) {
        Map<String, String> m = new HashMap<>();
        m.put(JobSettings.BOOTSTRAP_SERVERS.key(), bootstrapServers);
        m.put(JobSettings.TOPIC_INTERACTIONS.key(), topics + "interactions");
        m.put(JobSettings.TOPIC_RECOMMENDATIONS.key(), topics + "recommendations");
        m.put(JobSettings.TOPIC_DEAD_LETTERS.key(), topics + "dlq");
        m.put(JobSettings.TOPIC_RELEASES.key(), topics + "releases");
        m.put(JobSettings.MODEL_URI.key(), model.toString());
        m.put(JobSettings.PARALLELISM.key(), "2");
        m.put(JobSettings.CHECKPOINT_INTERVAL_MS.key(), "1000");
        m.put(JobSettings.CHECKPOINT_DIR.key(), checkpoints.toUri().toString());
        return JobConfig.of(m);
    }
}

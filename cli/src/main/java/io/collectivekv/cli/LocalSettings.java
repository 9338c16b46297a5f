package io.collectivekv.cli;

import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The job's settings for a local run against an embedded broker, with the job's topics created. */
final class LocalSettings {
    private LocalSettings() {}

    /**
     * @param overrides settings given by the user; the broker address and model always come from here
     */
    static JobConfig forEmbeddedKafka(EmbeddedKafka kafka, Path model, Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>(overrides);
        m.put(JobSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        m.put(JobSettings.MODEL_URI.key(), model.toString());
        m.putIfAbsent(JobSettings.CHECKPOINT_DIR.key(), Path.of("target", "local-checkpoints").toAbsolutePath().toUri().toString());
        JobConfig config = JobConfig.of(m);
        kafka.createTopics(2, config.get(JobSettings.TOPIC_INTERACTIONS), config.get(JobSettings.TOPIC_RECOMMENDATIONS),
                config.get(JobSettings.TOPIC_DEAD_LETTERS));
        kafka.createTopics(1, config.get(JobSettings.TOPIC_RELEASES));
        return config;
    }
}

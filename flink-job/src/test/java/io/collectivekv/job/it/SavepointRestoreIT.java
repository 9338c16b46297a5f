package io.collectivekv.job.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.data.EncodedSequences;
import io.collectivekv.export.ArtifactExport;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.local.LocalJob;
import io.collectivekv.kafka.EmbeddedKafka;
import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.schema.Recommendation;
import io.collectivekv.schema.RecommendedItem;
import io.collectivekv.train.TinyModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop with a savepoint and restart from it: users keep their state (window, cache, counts) and
 * the restarted job serves the model last released, not the one it was started with.
 */
class SavepointRestoreIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void aRestoredJobKeepsEveryUsersStateAndServesTheReleasedModel() throws Exception {
        Path v1 = dir.resolve("v1");
        Path v2 = dir.resolve("v2");
        ArtifactExport.write(TinyModels.trained(Encoder.HSTU, KvMode.COLLECTIVE), v1, Map.of());
        ArtifactExport.write(TinyModels.trained(Encoder.SASREC, KvMode.COLLECTIVE), v2, Map.of());
        ModelArtifact next = ModelArtifact.open(v2);
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                TopicIO io = new TopicIO(kafka.bootstrapServers());
                OfflineRecommender after = new OfflineRecommender(v2)) {
            kafka.createTopics(2, "interactions", "recommendations", "interactions-dlq");
            kafka.createTopics(1, "model-releases");
            Map<String, String> m = new HashMap<>();
            m.put(JobSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
            m.put(JobSettings.MODEL_URI.key(), v1.toString());
            m.put(JobSettings.PARALLELISM.key(), "2");
            m.put(JobSettings.CHECKPOINT_INTERVAL_MS.key(), "1000");
            m.put(JobSettings.CHECKPOINT_DIR.key(), dir.resolve("checkpoints").toUri().toString());
            JobConfig config = JobConfig.of(m);
            Configuration noRestarts = new Configuration();
            noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");

            JobClient first = LocalJob.start(config, noRestarts, -1);
            io.interaction("interactions", "e1", "u1", item(0));
            io.interaction("interactions", "e2", "u1", item(1));
            io.release("model-releases", next.modelVersion(), v2.toString(), next.manifestSha256());
            // Wait until the release shows, probing with another user.
            int probes = 0;
            List<Recommendation> recs;
            do {
                io.interaction("interactions", "p" + probes, "probe", item(probes % 5));
                probes++;
                recs = recommendations(io, 2 + probes);
            } while (!recs.get(recs.size() - 1).getModelVersion().equals(after.version()) && probes < 50);
            String savepoint = first.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get();

            Configuration restore = new Configuration(noRestarts);
            restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            // Reading from "latest" unless restored: a job that ignored the savepoint would neither
            // replay u1's events nor the release, and the assertions below would fail.
            JobClient second = LocalJob.start(config.with(JobSettings.STARTING_OFFSETS, "latest"), restore, -1);
            try {
                io.interaction("interactions", "e3", "u1", item(2));
                Recommendation restored = recommendations(io, 3 + probes).stream()
                        .filter(r -> r.getTriggerEventId().equals("e3")).findFirst().orElseThrow();
                assertEquals(after.version(), restored.getModelVersion(), "the released model, not model.uri's");
                assertEquals(after.top(List.of(item(0), item(1), item(2)), 10),
                        restored.getItems().stream().map(RecommendedItem::getItemId).toList(),
                        "u1's window survived the restart");
            } finally {
                second.cancel().get();
            }
        }
    }

    private static List<Recommendation> recommendations(TopicIO io, int count) {
        return io.readUntil("recommendations", r -> r.size() >= count, TIMEOUT).stream()
                .map(TopicIO::recommendation)
                .sorted(java.util.Comparator.comparingLong(r -> r.getEmitTimeMillis().toEpochMilli()))
                .toList();
    }

    private static String item(int i) {
        EncodedSequences data = TinyModels.data();
        return data.index().externalId(data.rows(0)[i]);
    }
}

package io.collectivekv.job.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.data.EncodedSequences;
import io.collectivekv.export.ArtifactExport;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.kafka.EmbeddedKafka;
import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.schema.DeadLetter;
import io.collectivekv.schema.Recommendation;
import io.collectivekv.schema.RecommendedItem;
import io.collectivekv.train.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job end to end: a real KRaft broker in the JVM, the job on a MiniCluster with RocksDB state,
 * Avro on the wire, models trained and exported by the trainer, served through ONNX Runtime.
 */
class RecommenderJobIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int USERS = 12;

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static Path collective;
    static Path full;
    static Path sasrec;
    static int topicRun;

    @BeforeAll
    static void startBrokerAndExportModels() throws Exception {
        kafka = EmbeddedKafka.start();
        collective = dir.resolve("hstu-collective");
        full = dir.resolve("hstu-full");
        sasrec = dir.resolve("sasrec-collective");
        ArtifactExport.write(TinyModels.trained(Encoder.HSTU, KvMode.COLLECTIVE), collective, Map.of());
        ArtifactExport.write(TinyModels.trained(Encoder.HSTU, KvMode.FULL), full, Map.of());
        ArtifactExport.write(TinyModels.trained(Encoder.SASREC, KvMode.COLLECTIVE), sasrec, Map.of());
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @ParameterizedTest(name = "cache.mode = {0}")
    @ValueSource(strings = {"collective", "full", "none"})
    void everyEventGetsExactlyOneRecommendationEqualToTheOfflinePrefill(String cacheMode) throws Exception {
        Path model = cacheMode.equals("full") ? full : collective;
        JobConfig config = config(model).with(JobSettings.CACHE_MODE, cacheMode);
        Map<String, List<String>> histories = new LinkedHashMap<>();
        Map<String, List<String>> expected = new HashMap<>();
        try (RunningJob job = RunningJob.start(config);
                TopicIO io = new TopicIO(kafka.bootstrapServers());
                OfflineRecommender offline = new OfflineRecommender(model)) {
            List<String[]> events = interleavedEvents();
            for (String[] e : events) {
                io.interaction(config.get(JobSettings.TOPIC_INTERACTIONS), e[0], e[1], e[2]);
                List<String> h = histories.computeIfAbsent(e[1], u -> new ArrayList<>());
                h.add(e[2]);
                expected.put(e[0], offline.top(h, 10));
            }
            List<Recommendation> recs = recommendations(io, config, events.size());
            assertEquals(events.size(), recs.size(), "one recommendation per event");
            Map<String, Long> perEvent = recs.stream().collect(Collectors.groupingBy(r -> r.getTriggerEventId(), Collectors.counting()));
            assertEquals(events.size(), perEvent.size(), "every event answered once");
            for (Recommendation r : recs) {
                assertEquals(expected.get(r.getTriggerEventId()), ids(r), "event " + r.getTriggerEventId());
                assertEquals(offline.version(), r.getModelVersion());
            }
            assertFalse(job.status().isGloballyTerminalState());
        }
    }

    @Test
    void poisonGoesToTheDeadLetterTopicAndDuplicatesAreDroppedWhileServingGoesOn() throws Exception {
        JobConfig config = config(collective);
        String in = config.get(JobSettings.TOPIC_INTERACTIONS);
        try (RunningJob job = RunningJob.start(config); TopicIO io = new TopicIO(kafka.bootstrapServers())) {
            Random random = new Random(5);
            byte[] noise = new byte[64];
            random.nextBytes(noise);
            io.raw(in, "u1".getBytes(), noise);                                            // random bytes
            io.interaction(in, "e1", "u1", item(0));
            byte[] good = lastValueOf(io, in);
            io.raw(in, "u1".getBytes(), java.util.Arrays.copyOf(good, good.length / 2));   // truncated Avro
            io.release(in, "v-wrong-topic", "file:/nowhere", "00");                          // wrong schema
            io.interaction(in, "e1", "u1", item(0));                                         // duplicate event id
            io.interaction(in, "e2", "u1", "no-such-item");                                  // unknown item
            io.interaction(in, "e3", "u1", item(1));

            List<Recommendation> recs = recommendations(io, config, 3);
            assertEquals(List.of("e1", "e2", "e3"), recs.stream().map(r -> r.getTriggerEventId()).toList());
            List<DeadLetter> dead = deadLetters(io, config, 3);
            assertEquals(3, dead.size());
            for (DeadLetter d : dead) {
                assertTrue(d.getError().startsWith("not a decodable InteractionEvent"), d.getError());
                assertEquals(in, d.getTopic());
            }
            assertFalse(job.status().isGloballyTerminalState(), "the job never dies on a record");
        }
    }

    @Test
    void aReleaseSwitchesTheModelAndATamperedOneIsRefused() throws Exception {
        JobConfig config = config(collective);
        String in = config.get(JobSettings.TOPIC_INTERACTIONS);
        String releases = config.get(JobSettings.TOPIC_RELEASES);
        Path tampered = dir.resolve("tampered-" + topicRun);
        copy(sasrec, tampered);
        byte[] step = Files.readAllBytes(tampered.resolve("step.onnx"));
        step[step.length / 3] ^= 1;
        Files.write(tampered.resolve("step.onnx"), step);
        ModelArtifact next = ModelArtifact.open(sasrec);
        try (RunningJob job = RunningJob.start(config);
                TopicIO io = new TopicIO(kafka.bootstrapServers());
                OfflineRecommender before = new OfflineRecommender(collective);
                OfflineRecommender after = new OfflineRecommender(sasrec)) {
            io.interaction(in, "a1", "u1", item(0));
            io.interaction(in, "a2", "u1", item(1));
            assertEquals(2, recommendations(io, config, 2).size());

            io.release(releases, next.modelVersion(), tampered.toUri().toString(), next.manifestSha256());
            DeadLetter refused = deadLetters(io, config, 1).get(0);
            assertTrue(refused.getError().contains("refused by subtask") && refused.getError().contains("still serving " + before.version()), refused.getError());
            assertTrue(refused.getError().contains("step.onnx"), refused.getError());
            io.interaction(in, "a3", "u1", item(2));
            Recommendation stillOld = recommendations(io, config, 3).get(2);
            assertEquals(before.version(), stillOld.getModelVersion());
            assertEquals(before.top(List.of(item(0), item(1), item(2)), 10), ids(stillOld));

            io.release(releases, next.modelVersion(), sasrec.toUri().toString(), next.manifestSha256());
            // Releases and interactions are separate topics: probe with another user until the switch shows.
            int probes = 0;
            List<Recommendation> recs;
            do {
                io.interaction(in, "p" + probes, "probe", item(probes % 5));
                probes++;
                recs = recommendations(io, config, 3 + probes);
            } while (!recs.get(recs.size() - 1).getModelVersion().equals(after.version()) && probes < 50);
            io.interaction(in, "a4", "u1", item(3));
            Recommendation switched = recommendations(io, config, 4 + probes).stream()
                    .filter(r -> r.getTriggerEventId().equals("a4")).findFirst().orElseThrow();
            assertEquals(after.version(), switched.getModelVersion());
            assertEquals(after.top(List.of(item(0), item(1), item(2), item(3)), 10), ids(switched));
            assertFalse(job.status().isGloballyTerminalState());
        }
    }

    private static JobConfig config(Path model) {
        topicRun++;
        String p = "run" + topicRun + "-";
        kafka.createTopics(2, p + "interactions", p + "recommendations", p + "dlq");
        kafka.createTopics(1, p + "releases");
        return TestJobConfig.of(kafka.bootstrapServers(), p, model, dir.resolve("checkpoints-" + topicRun));
    }

    /** Users' real synthetic histories (at most W items each), interleaved round-robin. */
    private static List<String[]> interleavedEvents() {
        EncodedSequences data = TinyModels.data();
        List<String[]> events = new ArrayList<>();
        for (int t = 0; t < TinyModels.WINDOW; t++) {
            for (int u = 0; u < USERS; u++) {
                int[] rows = data.rows(u);
                if (t < rows.length) {
                    events.add(new String[] {"u" + u + "-" + t, "user-" + data.userId(u), data.index().externalId(rows[t])});
                }
            }
        }
        return events;
    }

    private static String item(int i) {
        EncodedSequences data = TinyModels.data();
        return data.index().externalId(data.rows(0)[i]);
    }

    private static List<Recommendation> recommendations(TopicIO io, JobConfig config, int count) {
        return io.readUntil(config.get(JobSettings.TOPIC_RECOMMENDATIONS), r -> r.size() >= count, TIMEOUT).stream()
                .map(TopicIO::recommendation).sorted(java.util.Comparator.comparingLong(r -> r.getEmitTimeMillis().toEpochMilli()))
                .toList();
    }

    private static List<DeadLetter> deadLetters(TopicIO io, JobConfig config, int count) {
        return io.readUntil(config.get(JobSettings.TOPIC_DEAD_LETTERS), r -> r.size() >= count, TIMEOUT).stream()
                .map(TopicIO::deadLetter).toList();
    }

    private static byte[] lastValueOf(TopicIO io, String topic) {
        List<ConsumerRecord<byte[], byte[]>> all = io.readUntil(topic, r -> !r.isEmpty(), TIMEOUT);
        return all.get(all.size() - 1).value();
    }

    private static List<String> ids(Recommendation r) {
        return r.getItems().stream().map(RecommendedItem::getItemId).toList();
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}

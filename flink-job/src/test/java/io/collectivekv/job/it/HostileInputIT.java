package io.collectivekv.job.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.collectivekv.export.ArtifactExport;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.it.FuzzedInteractions.Entry;
import io.collectivekv.job.local.LocalJob;
import io.collectivekv.job.savepoint.Savepoints;
import io.collectivekv.job.serve.UserState;
import io.collectivekv.job.wire.HostileRecords;
import io.collectivekv.kafka.EmbeddedKafka;
import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.schema.DeadLetter;
import io.collectivekv.schema.InteractionEvent;
import io.collectivekv.schema.Recommendation;
import io.collectivekv.schema.RecommendedItem;
import io.collectivekv.train.TinyModels;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input end to end: a real broker, the job on a MiniCluster (RocksDB, checkpoints every
 * second, parallelism 2) with no restart strategy, so that any failure fails the job for good and
 * "still RUNNING" means "never failed". The dead-letter topic keeps Kafka's default size limit, as
 * a deployment's would; the interactions topic takes 4 MB records.
 */
class HostileInputIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final long SEED = 20_260_128L;
    /** Kafka's default max.message.bytes, the limit of a dead-letter topic nobody configured. */
    private static final int KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
    private static final int HOT_EVENTS = 100_000;

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static Path model;

    @BeforeAll
    static void startBrokerAndExportModel() throws Exception {
        kafka = EmbeddedKafka.start();
        model = dir.resolve("model");
        ArtifactExport.write(TinyModels.trained(Encoder.HSTU, KvMode.COLLECTIVE), model, Map.of());
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void hostileRecordsAreDeadLetteredWithTheirReasonWhileEveryGoodEventIsServedOnce() throws Exception {
        JobConfig config = config("fuzz");
        String in = config.get(JobSettings.TOPIC_INTERACTIONS);
        int maxRaw = config.get(JobSettings.DEAD_LETTER_MAX_BYTES);
        FuzzedInteractions fuzz = new FuzzedInteractions(SEED, 200, config.get(JobSettings.MAX_FIELD_LENGTH), System.currentTimeMillis());
        JobClient job = start(config);
        try (KafkaProducer<byte[], byte[]> producer = producer(); OfflineRecommender offline = new OfflineRecommender(model)) {
            long started = System.nanoTime();
            Map<String, Entry> badAt = new HashMap<>();
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (Entry e : fuzz.entries) {
                sends.add(producer.send(new ProducerRecord<>(in, e.key(), e.value())));
            }
            for (int i = 0; i < sends.size(); i++) {
                RecordMetadata sent = sends.get(i).get();
                if (fuzz.entries.get(i).bad()) {
                    badAt.put(sent.partition() + "@" + sent.offset(), fuzz.entries.get(i));
                }
            }
            double sendSeconds = (System.nanoTime() - started) / 1e9;

            List<Recommendation> recs = readUntilAnswered(config, fuzz.lastEvents, job);
            double answeredSeconds = (System.nanoTime() - started) / 1e9;
            Map<String, Long> answers = recs.stream().collect(Collectors.groupingBy(r -> r.getTriggerEventId(), Collectors.counting()));
            assertEquals(fuzz.histories.keySet(), answers.keySet(), "every good event is answered, and nothing else");
            answers.forEach((id, n) -> assertEquals(1L, n, "event " + id + " (sent again in duplicates?) is answered once"));
            for (Recommendation r : recs) {
                assertEquals(offline.version(), r.getModelVersion());
                assertEquals(offline.top(fuzz.histories.get(r.getTriggerEventId()), 10), ids(r),
                        "event " + r.getTriggerEventId() + ": hostile records and duplicates of the user left no trace in its state");
            }

            List<ConsumerRecord<byte[], byte[]>> dead = read(config.get(JobSettings.TOPIC_DEAD_LETTERS), badAt.size(), job);
            assertEquals(badAt.size(), dead.size(), "one dead letter per bad record");
            Set<String> letteredAt = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> record : dead) {
                DeadLetter d = TopicIO.deadLetter(record);
                String at = d.getPartition() + "@" + d.getOffset();
                Entry bad = badAt.get(at);
                assertNotNull(bad, "a dead letter for " + at + ", which is no bad record: " + d.getError());
                assertTrue(letteredAt.add(at), "a second dead letter for " + at);
                assertEquals(in, d.getTopic());
                assertTrue(d.getError().contains(bad.reason()), bad.kind() + " at " + at + " should say \"" + bad.reason() + "\": " + d.getError());
                int valueBytes = d.getValue() == null ? 0 : d.getValue().remaining();
                int keyBytes = record.key() == null ? 0 : record.key().length;
                assertTrue(valueBytes <= maxRaw && keyBytes <= maxRaw,
                        bad.kind() + " at " + at + ": a dead letter keeps at most " + maxRaw + " bytes of key and value");
                if (bad.value() != null && bad.value().length > maxRaw) {
                    assertTrue(d.getError().contains(JobSettings.DEAD_LETTER_MAX_BYTES.key()), "a cut dead letter says so: " + d.getError());
                }
            }
            assertRunning(job);

            Map<String, Long> kinds = new TreeMap<>(fuzz.entries.stream().filter(Entry::bad)
                    .collect(Collectors.groupingBy(Entry::kind, Collectors.counting())));
            assertTrue(kinds.containsKey("megabyte record (its action)") && kinds.keySet().stream().anyMatch(k -> k.startsWith("megabyte ")),
                    "the seed produces megabyte records: " + kinds);
            System.out.printf("HostileInputIT: produced %d records in %.1f s, all answered after %.1f s: %d good (%d unique events, "
                            + "%d duplicates), %d bad; dead letters %d, recommendations %d, duplicates dropped %d (sent, less those answered); bad by kind %s%n",
                    fuzz.entries.size(), sendSeconds, answeredSeconds, fuzz.histories.size() + fuzz.duplicates, fuzz.histories.size(), fuzz.duplicates,
                    badAt.size(), dead.size(), recs.size(), fuzz.duplicates - (recs.size() - answers.size()), kinds);
        } finally {
            cancel(job);
        }
    }

    @Test
    void aUserSending100000EventsKeepsAStateBoundedByTheWindow() throws Exception {
        JobConfig config = config("hot");
        String in = config.get(JobSettings.TOPIC_INTERACTIONS);
        var index = TinyModels.data().index();
        JobClient job = start(config);
        String savepoint = null;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            long started = System.nanoTime();
            for (int i = 0; i < HOT_EVENTS; i++) {
                send(producer, in, String.format("hot-%06d", i), "hot-user", index.externalId(2 + i % index.size()));
            }
            // A user with exactly W events: its cache holds W tokens, the most any cache should.
            for (int i = 0; i < TinyModels.WINDOW; i++) {
                send(producer, in, String.format("ref-%06d", i), "ref-user", index.externalId(2 + i));
            }
            producer.flush();
            List<ConsumerRecord<byte[], byte[]>> recs = read(config.get(JobSettings.TOPIC_RECOMMENDATIONS), HOT_EVENTS + TinyModels.WINDOW, job);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(HOT_EVENTS + TinyModels.WINDOW, recs.size(), "one recommendation per event");
            ConsumerRecord<byte[], byte[]> lastHot = recs.stream().filter(r -> Arrays.equals(r.key(), HostileRecords.utf8("hot-user"))).reduce((a, b) -> b).orElseThrow();
            assertEquals("hot-099999", TopicIO.recommendation(lastHot).getTriggerEventId(), "the hot user's events are served in order");
            assertRunning(job);

            savepoint = job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL).get();
            Map<String, UserState> users = Savepoints.userStates(savepoint, config);
            UserState hot = users.get("hot-user");
            UserState reference = users.get("ref-user");
            assertEquals(HOT_EVENTS, hot.eventCount, "every event applied");
            assertEquals(TinyModels.WINDOW, hot.window.length, "the window holds W items");
            assertEquals(TinyModels.WINDOW, hot.windowItemIds.length, "the window's item ids hold W items");
            assertEquals(config.get(JobSettings.DEDUP_EVENTS), hot.recentEventIds.length, "the remembered event ids stay at dedup.remembered.events");
            assertEquals(reference.cache.length, hot.cache.length, "the cache holds W tokens, like that of a user with W events");
            System.out.printf("HostileInputIT: %d events of one user produced and served in %.1f s (%.0f events/s); its state: "
                            + "%d events, window %d, %d remembered ids, cache %d bytes%n", HOT_EVENTS, seconds, HOT_EVENTS / seconds,
                    hot.eventCount, hot.window.length, hot.recentEventIds.length, hot.cache.length);
        } finally {
            if (savepoint == null) {
                cancel(job);
            }
        }
    }

    /** Fresh topics; the dead-letter one with Kafka's default size limit. */
    private static JobConfig config(String run) throws Exception {
        String p = run + "-";
        kafka.createTopics(2, p + "interactions", p + "recommendations");
        kafka.createTopics(1, p + "releases");
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(p + "dlq", 2, (short) 1)
                    .configs(Map.of("max.message.bytes", Integer.toString(KAFKA_DEFAULT_MAX_MESSAGE_BYTES))))).all().get();
        }
        return TestJobConfig.of(kafka.bootstrapServers(), p, model, dir.resolve("checkpoints-" + run));
    }

    private static JobClient start(JobConfig config) throws Exception {
        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return LocalJob.start(config, noRestarts, -1);
    }

    /** Without a restart strategy, a job that ever failed is over: RUNNING now means it never failed. */
    private static void assertRunning(JobClient job) throws Exception {
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        if (result.isDone()) {
            try {
                result.get();
                fail("the job ended by itself");
            } catch (ExecutionException e) {
                fail("the job failed", e.getCause());
            }
        }
        assertEquals(JobStatus.RUNNING, job.getJobStatus().get(), "the job's status");
    }

    private static void cancel(JobClient job) throws Exception {
        // A job that ended by itself took its MiniCluster down with it; assertRunning said why.
        if (!job.getJobExecutionResult().isDone()) {
            job.cancel().get();
        }
    }

    /** A producer that takes the megabyte records (TopicIO's keeps Kafka's 1 MB request limit). */
    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = kafka.clientProperties();
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("acks", "all");
        p.put("linger.ms", "5");
        p.put("max.request.size", Integer.toString(EmbeddedKafka.MAX_MESSAGE_BYTES));
        return new KafkaProducer<>(p);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String eventId, String user, String item) {
        InteractionEvent e = new InteractionEvent(eventId, user, item, "view", Instant.now());
        producer.send(new ProducerRecord<>(topic, HostileRecords.utf8(user), HostileRecords.encode(e)));
    }

    /**
     * The recommendations, once every user's last event is answered (nothing of that user can
     * follow in its partition), or the job ended.
     */
    private static List<Recommendation> readUntilAnswered(JobConfig config, List<String> lastEvents, JobClient job) throws Exception {
        Set<String> waiting = new HashSet<>(lastEvents);
        List<Recommendation> recs = new ArrayList<>();
        try (TopicIO io = new TopicIO(kafka.bootstrapServers())) {
            io.readUntil(config.get(JobSettings.TOPIC_RECOMMENDATIONS), read -> {
                for (int i = recs.size(); i < read.size(); i++) {
                    recs.add(TopicIO.recommendation(read.get(i)));
                    waiting.remove(recs.get(i).getTriggerEventId());
                }
                return waiting.isEmpty() || job.getJobExecutionResult().isDone();
            }, TIMEOUT);
        }
        assertRunning(job);
        assertEquals(Set.of(), waiting, "last events of their users still unanswered after " + TIMEOUT);
        return recs;
    }

    /** The first {@code count} records of a topic, or what there is when the job ended or the time is up. */
    private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int count, JobClient job) throws Exception {
        try (TopicIO io = new TopicIO(kafka.bootstrapServers())) {
            List<ConsumerRecord<byte[], byte[]>> records = io.readUntil(topic, r -> r.size() >= count || job.getJobExecutionResult().isDone(), TIMEOUT);
            assertRunning(job);
            return records;
        }
    }

    private static List<String> ids(Recommendation r) {
        return r.getItems().stream().map(RecommendedItem::getItemId).toList();
    }
}

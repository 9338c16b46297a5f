package io.collectivekv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collectivekv.job.local.TopicReader;
import io.collectivekv.job.wire.Bytes;
import io.collectivekv.kafka.EmbeddedKafka;
import io.collectivekv.schema.InteractionEvent;
import io.collectivekv.schema.Recommendation;
import io.collectivekv.schema.RecommendedItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ckv topics and ckv replay against a real broker, with a stand-in for the job that answers each
 * interaction with one recommendation (the job itself on a cluster is .ci/cluster-check's part).
 */
class ReplayCommandTest {
    private static final AtomicInteger TOPIC_SET = new AtomicInteger();

    static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void topicsCreatesTheJobsFourTopicsAndLeavesExistingOnesAlone() {
        List<String> names = topicNames();
        CliRun first = CliRun.of(with(names, "topics", "--bootstrap-servers", kafka.bootstrapServers(), "--partitions", "3"));
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(List.of(names.get(0) + ": created, 3 partition(s)", names.get(1) + ": created, 1 partition(s)",
                names.get(2) + ": created, 3 partition(s)", names.get(3) + ": created, 3 partition(s)"), first.outLines());
        CliRun again = CliRun.of(with(names, "topics", "--bootstrap-servers", kafka.bootstrapServers()));
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(names.get(0) + ": exists, 3 partition(s)", again.outLines().get(0));
    }

    @Test
    void replayWaitsUntilEveryEventHasItsRecommendation() throws Exception {
        List<String> names = createdTopics();
        try (Echo job = new Echo(names.get(0), names.get(2), e -> false)) {
            CliRun r = CliRun.of(replay(names, "--events", "300"));
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().startsWith("300 events sent, 300 recommendations in "), r.out());
        }
    }

    @Test
    void missingRecommendationsFailAfterTheTimeoutWithoutAnyNew() throws Exception {
        List<String> names = createdTopics();
        try (Echo job = new Echo(names.get(0), names.get(2), e -> e.getUserId().equals("7"))) {
            CliRun r = CliRun.of(replay(names, "--events", "300", "--timeout", "2"));
            assertEquals(1, r.exitCode(), r.out());
            assertTrue(r.out().startsWith("300 events sent, 297 recommendations in "), r.out());
            assertEquals(List.of("ckv: 3 of 300 events got no recommendation (none arrived for 2 s)"), r.errLines());
        }
    }

    @Test
    void aTopicWithRecommendationsFromBeforeIsRefused() throws Exception {
        List<String> names = createdTopics();
        try (Echo job = new Echo(names.get(0), names.get(2), e -> false)) {
            assertEquals(0, CliRun.of(replay(names, "--events", "20")).exitCode());
        }
        CliRun again = CliRun.of(replay(names, "--events", "20"));
        assertEquals(1, again.exitCode());
        assertEquals(List.of("ckv: topic '" + names.get(2) + "' on " + kafka.bootstrapServers()
                + " already holds 20 records: replay checks a fresh job on fresh topics (ckv topics)"), again.errLines());
    }

    @Test
    void aMissingTopicOrBrokerIsOneLine() throws Exception {
        List<String> names = topicNames();
        CliRun noTopics = CliRun.of(replay(names, "--events", "20"));
        assertEquals(1, noTopics.exitCode());
        assertEquals(List.of("ckv: topic '" + names.get(0) + "' does not exist on " + kafka.bootstrapServers()
                + " (create the job's topics with 'ckv topics')"), noTopics.errLines());

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        CliRun noBroker = CliRun.of("replay", "--bootstrap-servers", "127.0.0.1:" + closedPort);
        assertEquals(1, noBroker.exitCode());
        assertEquals(1, noBroker.errLines().size(), noBroker.err());
        assertTrue(noBroker.err().startsWith("ckv: cannot connect to Kafka at 127.0.0.1:" + closedPort + ": "), noBroker.err());
    }

    /** Fresh names for the job's four topics (interactions, releases, recommendations, dead letters), per test. */
    private static List<String> topicNames() {
        int n = TOPIC_SET.incrementAndGet();
        return List.of("interactions-" + n, "releases-" + n, "recommendations-" + n, "dlq-" + n);
    }

    private static List<String> createdTopics() {
        List<String> names = topicNames();
        kafka.createTopics(2, names.toArray(String[]::new));
        return names;
    }

    private static String[] with(List<String> names, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        String[] keys = {"topic.interactions", "topic.model.releases", "topic.recommendations", "topic.dead.letters"};
        for (int i = 0; i < keys.length; i++) {
            all.add("--set");
            all.add(keys[i] + "=" + names.get(i));
        }
        return all.toArray(String[]::new);
    }

    private static String[] replay(List<String> names, String... args) {
        List<String> all = new ArrayList<>(List.of("replay", "--bootstrap-servers", kafka.bootstrapServers(),
                "--synthetic-users", "100", "--synthetic-items", "50"));
        all.addAll(List.of(args));
        return with(names, all.toArray(String[]::new));
    }
    /** Stands in for the job: one recommendation per interaction, except for the events {@code drop} selects. */
    private static final class Echo implements AutoCloseable {
        private final Thread thread;
        private volatile boolean stopped;

        Echo(String interactions, String recommendations, Predicate<InteractionEvent> drop) {
            thread = new Thread(() -> answer(interactions, recommendations, drop), "echo-job");
            thread.start();
        }

        private void answer(String interactions, String recommendations, Predicate<InteractionEvent> drop) {
            Properties p = new Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            p.put("key.serializer", ByteArraySerializer.class.getName());
            p.put("value.serializer", ByteArraySerializer.class.getName());
            try (KafkaConsumer<byte[], byte[]> in = TopicReader.fromStart(kafka.bootstrapServers(), interactions, "echo");
                 KafkaProducer<byte[], byte[]> out = new KafkaProducer<>(p)) {
                while (!stopped) {
                    for (ConsumerRecord<byte[], byte[]> r : in.poll(Duration.ofMillis(100))) {
                        InteractionEvent e = InteractionEvent.fromByteBuffer(ByteBuffer.wrap(r.value()));
                        if (!drop.test(e)) {
                            Recommendation rec = new Recommendation(e.getUserId(), List.of(new RecommendedItem(e.getItemId(), 1f)),
                                    "echo", e.getEventId(), e.getEventTimeMillis(), Instant.now());
                            out.send(new ProducerRecord<>(recommendations, r.key(), Bytes.of(rec.toByteBuffer())));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join();
        }
    }
}

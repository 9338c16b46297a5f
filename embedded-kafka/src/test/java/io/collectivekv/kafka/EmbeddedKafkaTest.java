package io.collectivekv.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaTest {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        long t0 = System.nanoTime();
        kafka = EmbeddedKafka.start();
        System.out.printf("EmbeddedKafka.start() took %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void bindsToLoopbackOnly() throws IOException {
        String bootstrap = kafka.bootstrapServers();
        assertTrue(bootstrap.matches("127\\.0\\.0\\.1:\\d+"), bootstrap);
        int port = Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1));
        // Linux: the listening socket on that port must be 127.0.0.1, not the wildcard address.
        Path tcp = Path.of("/proc/net/tcp");
        Path tcp6 = Path.of("/proc/net/tcp6");
        if (!Files.isReadable(tcp)) {
            return;
        }
        String hexPort = String.format(":%04X", port);
        List<String> listening = new ArrayList<>();
        for (Path p : List.of(tcp, tcp6)) {
            if (!Files.isReadable(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                    listening.add(f[1]);
                }
            }
        }
        // 127.0.0.1, either as an IPv4 socket or IPv4-mapped in an IPv6 one (::ffff:127.0.0.1)
        assertEquals(1, listening.size(), "one listening socket on port " + port + ": " + listening);
        String address = listening.get(0);
        assertTrue(address.equals("0100007F" + hexPort)
                || address.equals("0000000000000000FFFF00000100007F" + hexPort), "not loopback: " + address);
    }

    @Test
    void createTopicsIsIdempotent() throws Exception {
        kafka.createTopics(2, "idem-a", "idem-b");
        kafka.createTopics(2, "idem-a", "idem-b", "idem-c");
        kafka.createTopics(5, "idem-a"); // exists: left as it is
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            var descriptions = admin.describeTopics(List.of("idem-a", "idem-b", "idem-c"))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            descriptions.values().forEach(d -> assertEquals(2, d.partitions().size(), d.name()));
        }
    }

    @Test
    void noAutomaticTopicCreation() throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            var config = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                            org.apache.kafka.common.config.ConfigResource.Type.BROKER, "0")))
                    .all().get(30, TimeUnit.SECONDS).values().iterator().next();
            assertEquals("false", config.get("auto.create.topics.enable").value());
            assertEquals("900000", config.get("transaction.max.timeout.ms").value());
        }
    }

    @Test
    void producesAndConsumesKeyedRecords() {
        String topic = "keyed";
        kafka.createTopics(2, topic);
        int n = 100;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(null))) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, "user-" + (i % 10), "event-" + i));
            }
            producer.flush();
        }
        List<ConsumerRecord<String, String>> records = consumeAll(topic, n, Duration.ofSeconds(30));
        assertEquals(n, records.size());
        Set<Integer> partitions = new java.util.HashSet<>();
        Map<String, Integer> perKey = new HashMap<>();
        Map<String, Integer> partitionOfKey = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            partitions.add(r.partition());
            perKey.merge(r.key(), 1, Integer::sum);
            Integer previous = partitionOfKey.putIfAbsent(r.key(), r.partition());
            if (previous != null) {
                assertEquals(previous, r.partition(), "a key stays on one partition: " + r.key());
            }
        }
        assertEquals(10, perKey.size());
        perKey.values().forEach(c -> assertEquals(10, c));
        assertEquals(Set.of(0, 1), partitions, "10 keys spread over both partitions");
    }

    @Test
    void transactionalCommitIsVisibleToReadCommitted() {
        String topic = "txn";
        kafka.createTopics(2, topic);
        Properties props = producerProps("embedded-kafka-test-" + UUID.randomUUID());
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(EmbeddedKafka.MAX_TRANSACTION_TIMEOUT_MS));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "aborted-" + i));
            }
            producer.abortTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "committed-" + i));
            }
            producer.commitTransaction();
        }
        List<ConsumerRecord<String, String>> records = consumeAll(topic, 20, Duration.ofSeconds(30));
        assertEquals(20, records.size());
        records.forEach(r -> assertTrue(r.value().startsWith("committed-"), r.value()));
    }

    @Test
    void acceptsRecordsLargerThanOneMegabyte() {
        String topic = "large";
        kafka.createTopics(1, topic);
        byte[] value = new byte[1_500_000];
        new java.util.Random(7).nextBytes(value);
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(EmbeddedKafka.MAX_MESSAGE_BYTES));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, "big".getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Properties c = consumerProps();
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    assertArrayEquals(value, r.value());
                    return;
                }
            }
        }
        throw new AssertionError("the large record did not come back");
    }

    @Test
    void closeDeletesDataDirectoryAndIsIdempotent() {
        EmbeddedKafka second = EmbeddedKafka.start();
        Path dir = second.dataDirectory();
        assertTrue(Files.isDirectory(dir));
        second.createTopics(2, "t");
        assertFalse(second.bootstrapServers().equals(kafka.bootstrapServers()), "two brokers side by side");
        second.close();
        assertFalse(Files.exists(dir), "data directory deleted: " + dir);
        second.close();
        assertThrows(IllegalStateException.class, () -> second.createTopics(1, "after-close"));
    }

    @Test
    void failsToStartWithAOneLineMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmbeddedKafka.start(Map.of("message.max.bytes", "not-a-number")));
        System.out.println("expected failure: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("Embedded Kafka failed to "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------

    private static Properties producerProps(String transactionalId) {
        Properties p = new Properties();
        p.putAll(kafka.clientProperties());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return p;
    }

    private static Properties consumerProps() {
        Properties p = new Properties();
        p.putAll(kafka.clientProperties());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "embedded-kafka-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    /** Subscribes with a consumer group (read_committed) and polls until {@code expected} records. */
    private static List<ConsumerRecord<String, String>> consumeAll(String topic, int expected, Duration timeout) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // nothing beyond what was expected
            consumer.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }
}

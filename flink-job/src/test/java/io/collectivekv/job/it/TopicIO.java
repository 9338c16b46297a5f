package io.collectivekv.job.it;

import io.collectivekv.job.local.TopicReader;
import io.collectivekv.schema.DeadLetter;
import io.collectivekv.schema.InteractionEvent;
import io.collectivekv.schema.ModelRelease;
import io.collectivekv.schema.Recommendation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces and consumes the job's Avro records on a real broker, for the integration tests (here and in the cli). */
public final class TopicIO implements AutoCloseable {
    private final String bootstrap;
    private final KafkaProducer<byte[], byte[]> producer;

    public TopicIO(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("acks", "all");
        p.put("linger.ms", "5");
        producer = new KafkaProducer<>(p);
    }

    public void interaction(String topic, String eventId, String userId, String itemId) {
        InteractionEvent e = new InteractionEvent(eventId, userId, itemId, "view", Instant.ofEpochMilli(1_700_000_000_000L));
        raw(topic, userId.getBytes(StandardCharsets.UTF_8), bytes(() -> e.toByteBuffer()));
    }

    public void release(String topic, String version, String uri, String manifestSha256) {
        ModelRelease r = new ModelRelease(version, uri, manifestSha256, Instant.now());
        raw(topic, version.getBytes(StandardCharsets.UTF_8), bytes(() -> r.toByteBuffer()));
    }

    public void raw(String topic, byte[] key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
        producer.flush();
    }

    /** Reads a topic from the start until {@code done} holds for what was read, or the timeout. */
    public List<ConsumerRecord<byte[], byte[]>> readUntil(String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = TopicReader.fromStart(bootstrap, topic, "test")) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(out) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    public static Recommendation recommendation(ConsumerRecord<byte[], byte[]> r) {
        return decode(() -> Recommendation.fromByteBuffer(ByteBuffer.wrap(r.value())));
    }

    public static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> r) {
        return decode(() -> DeadLetter.fromByteBuffer(ByteBuffer.wrap(r.value())));
    }

    @Override
    public void close() {
        producer.close();
    }

    private interface Encoding<T> {
        T get() throws Exception;
    }

    private static byte[] bytes(Encoding<ByteBuffer> encode) {
        ByteBuffer b = decode(encode);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static <T> T decode(Encoding<T> f) {
        try {
            return f.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

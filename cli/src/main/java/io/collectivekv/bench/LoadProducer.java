package io.collectivekv.bench;

import io.collectivekv.job.wire.Bytes;
import io.collectivekv.schema.InteractionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a phase's events to the interactions topic as Avro {@code InteractionEvent}s (key = user),
 * at full speed or paced to a fixed rate, from a thread named {@code bench-producer}. The send
 * callback records each event's broker append time: with the topic's {@code message.timestamp.type}
 * = LogAppendTime, the timestamp in the acknowledgement is the broker's.
 */
public final class LoadProducer implements AutoCloseable {
    /** The Kafka client id, also in the name of the client's I/O thread (for the CPU attribution). */
    public static final String CLIENT_PREFIX = "bench-producer";
    public static final String THREAD = "bench-producer";

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopped;

    public LoadProducer(String bootstrap, String topic, String clientSuffix) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("client.id", CLIENT_PREFIX + "-" + clientSuffix);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("linger.ms", "5");
        p.put("acks", "1");
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    /** Starts sending on a new thread; returns it (join it to wait for the last send to be acknowledged). */
    public Thread start(Phase phase, List<Workload.Event> events) {
        Thread t = new Thread(() -> send(phase, events), THREAD);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public void stop() {
        stopped = true;
    }

    public Throwable failure() {
        return failure.get();
    }

    private void send(Phase phase, List<Workload.Event> events) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        try {
            long start = System.nanoTime();
            phase.firstSendNanos = start;
            for (int i = 0; i < events.size() && !stopped; i++) {
                if (phase.targetRate > 0) {
                    long due = start + (long) (i * 1e9 / phase.targetRate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                Workload.Event e = events.get(i);
                long now = System.currentTimeMillis();
                phase.sendMillis[i] = now;
                InteractionEvent event = new InteractionEvent(e.eventId(), e.userId(), e.itemId(), "view", Instant.ofEpochMilli(now));
                final int index = i;
                producer.send(new ProducerRecord<>(topic, e.userId().getBytes(StandardCharsets.UTF_8), bytes(event)), (meta, error) -> {
                    if (error != null) {
                        phase.sendFailures.incrementAndGet();
                        failure.compareAndSet(null, error);
                    } else {
                        phase.appendMillis[index] = meta.timestamp();
                        phase.acked.incrementAndGet();
                    }
                });
            }
            phase.lastSendNanos = System.nanoTime();
            producer.flush();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            phase.producerThreadCpuNanos.set(threads.getCurrentThreadCpuTime() - cpu0);
        }
    }

    private static byte[] bytes(InteractionEvent e) {
        try {
            return Bytes.of(e.toByteBuffer());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        stopped = true;
        producer.close();
    }
}

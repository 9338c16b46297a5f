package io.collectivekv.bench;

import io.collectivekv.schema.Recommendation;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the recommendations topic from its start on a thread named {@code bench-monitor} (assigned
 * partitions, no consumer group: no coordinator thread) and fills in each answered event's emit
 * time and the recommendation's broker append time in its {@link Phase}. A redelivered
 * recommendation (at-least-once) counts once.
 */
public final class AnswerMonitor implements Runnable, AutoCloseable {
    public static final String THREAD = "bench-monitor";
    private static final int RECENT = 2048;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<Integer, Phase> phases = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final long[] recent = new long[RECENT];
    private long recentCount;
    private volatile TimestampType timestampType;
    private volatile boolean stopped;
    private Thread thread;

    public AnswerMonitor(String bootstrap, String topic, int partitions) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("client.id", THREAD);
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> assigned = java.util.stream.IntStream.range(0, partitions)
                .mapToObj(i -> new TopicPartition(topic, i)).toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
    }

    public void start() {
        thread = new Thread(this, THREAD);
        thread.setDaemon(true);
        thread.start();
    }

    public void register(Phase phase) {
        phases.put(phase.id, phase);
    }

    public Throwable failure() {
        return failure.get();
    }

    /** The timestamp type of the recommendation records seen (LogAppendTime on the bench's topics). */
    public TimestampType timestampType() {
        return timestampType;
    }

    /** p-th percentile (0–100) of the latest append → append latencies, ms (for the progress display). */
    public synchronized long recentPercentile(double p) {
        int n = (int) Math.min(recentCount, RECENT);
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(recent, n);
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * n) - 1)];
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    record(r);
                }
            }
        } catch (RuntimeException e) {
            if (!stopped) {
                failure.compareAndSet(null, e);
            }
        }
    }

    private void record(ConsumerRecord<byte[], byte[]> r) {
        Recommendation rec;
        try {
            rec = Recommendation.fromByteBuffer(ByteBuffer.wrap(r.value()));
        } catch (Exception e) {
            return;
        }
        int[] id = Workload.parse(rec.getTriggerEventId());
        Phase phase = id == null ? null : phases.get(id[0]);
        if (phase == null || id[1] >= phase.events) {
            return;
        }
        timestampType = r.timestampType();
        int i = id[1];
        if (phase.answerAppendMillis[i] != 0) {
            phase.duplicates.incrementAndGet();
            return;
        }
        phase.emitMillis[i] = rec.getEmitTimeMillis().toEpochMilli();
        phase.answerAppendMillis[i] = r.timestamp();
        phase.answered.incrementAndGet();
        long appended = phase.appendMillis[i];
        if (appended != 0) {
            synchronized (this) {
                recent[(int) (recentCount++ % RECENT)] = r.timestamp() - appended;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        if (thread != null) {
            consumer.wakeup();
            thread.join(10_000);
        }
        consumer.close();
    }
}

package io.collectivekv.job.local;

import io.collectivekv.schema.Recommendation;
import io.collectivekv.schema.RecommendedItem;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Reads the recommendations topic and keeps what a progress display needs: counts, latencies, a sample. */
public final class RecommendationMonitor implements Runnable {
    private static final int LATENCY_WINDOW = 4096;

    private final String bootstrap;
    private final String topic;
    private final AtomicLong received = new AtomicLong();
    /** Events answered, by triggering event id: a redelivered recommendation (at-least-once) counts once. */
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final AtomicReference<String> sample = new AtomicReference<>("");
    private final long[] latencies = new long[LATENCY_WINDOW];
    private int latencyCount;
    private volatile boolean stopped;

    public RecommendationMonitor(String bootstrap, String topic) {
        this.bootstrap = bootstrap;
        this.topic = topic;
    }

    /** Events that got at least one recommendation. */
    public long received() {
        return answered.size();
    }

    /** Recommendations beyond the first for their event (redeliveries after a failure, at-least-once). */
    public long duplicates() {
        return received.get() - answered.size();
    }

    /** The latest recommendation, as one line. */
    public String sample() {
        return sample.get();
    }

    /** p-th percentile (0–100) of the latest event → recommendation latencies, in ms. */
    public synchronized long latencyPercentile(double p) {
        int n = Math.min(latencyCount, LATENCY_WINDOW);
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * n) - 1)];
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> consumer = TopicReader.fromStart(bootstrap, topic, "monitor")) {
            while (!stopped) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    record(r);
                }
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
        received.incrementAndGet();
        answered.add(rec.getTriggerEventId());
        synchronized (this) {
            latencies[latencyCount++ % LATENCY_WINDOW] = rec.getEmitTimeMillis().toEpochMilli() - rec.getEventTimeMillis().toEpochMilli();
        }
        List<String> top = rec.getItems().stream().limit(5).map(RecommendedItem::getItemId).toList();
        sample.set("user " + rec.getUserId() + " → " + top + " (" + rec.getModelVersion() + ")");
    }
}

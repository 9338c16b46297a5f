package io.collectivekv.job.local;

import io.collectivekv.data.UserSequence;
import io.collectivekv.data.UserSequences;
import io.collectivekv.job.wire.Bytes;
import io.collectivekv.schema.InteractionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replays a data set's histories into the interactions topic as Avro events: round-robin over
 * users (each user's items in order), at full speed or a fixed rate. Event time = send time, so a
 * recommendation's emit time minus its event time is the end-to-end latency.
 */
public final class InteractionReplay implements Runnable {
    private final UserSequences data;
    private final String bootstrap;
    private final String topic;
    private final long maxEvents;
    private final double eventsPerSecond;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean stopped;

    /**
     * @param maxEvents       stop after this many events (≤ 0: the whole data set)
     * @param eventsPerSecond target rate (≤ 0: as fast as the broker takes them)
     */
    public InteractionReplay(UserSequences data, String bootstrap, String topic, long maxEvents, double eventsPerSecond) {
        this.data = data;
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.maxEvents = maxEvents;
        this.eventsPerSecond = eventsPerSecond;
    }

    /** Events in replay order: round t holds every user's t-th item. */
    public static List<String[]> events(UserSequences data) {
        List<String[]> events = new ArrayList<>();
        int longest = 0;
        for (UserSequence u : data) {
            longest = Math.max(longest, u.items().size());
        }
        for (int t = 0; t < longest; t++) {
            for (UserSequence u : data) {
                if (t < u.items().size()) {
                    events.add(new String[] {u.userId() + "#" + t, u.userId(), u.items().get(t)});
                }
            }
        }
        return events;
    }

    public long sent() {
        return sent.get();
    }

    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("linger.ms", "5");
        p.put("acks", "1");
        List<String[]> events = events(data);
        long limit = maxEvents > 0 ? Math.min(maxEvents, events.size()) : events.size();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < limit && !stopped; i++) {
                if (eventsPerSecond > 0) {
                    long due = start + (long) (i * 1e9 / eventsPerSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                String[] e = events.get(i);
                InteractionEvent event = new InteractionEvent(e[0], e[1], e[2], "view", Instant.now());
                producer.send(new ProducerRecord<>(topic, e[1].getBytes(StandardCharsets.UTF_8), bytes(event)));
                sent.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] bytes(InteractionEvent e) {
        try {
            return Bytes.of(e.toByteBuffer());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

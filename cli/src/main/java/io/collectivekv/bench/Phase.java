package io.collectivekv.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One measurement's events and what happened to each, by the event's index: when the producer sent
 * it, when the broker appended it to the interactions topic, when the job emitted its recommendation
 * and when the broker appended that. The producer's callback and the monitor fill it in from their
 * threads; a counter is incremented after each write, so a reader that sees the count sees the write.
 */
public final class Phase {
    public final int id;
    public final String label;
    /** Events per second asked for; ≤ 0 = full speed. */
    public final double targetRate;
    public final int events;

    final long[] sendMillis;
    final long[] appendMillis;
    final long[] emitMillis;
    final long[] answerAppendMillis;
    final AtomicInteger acked = new AtomicInteger();
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger sendFailures = new AtomicInteger();
    /** CPU time of the sending thread, set by it before it ends. */
    final AtomicLong producerThreadCpuNanos = new AtomicLong();
    volatile long firstSendNanos;
    volatile long lastSendNanos;

    public Phase(int id, String label, double targetRate, int events) {
        this.id = id;
        this.label = label;
        this.targetRate = targetRate;
        this.events = events;
        sendMillis = new long[events];
        appendMillis = new long[events];
        emitMillis = new long[events];
        answerAppendMillis = new long[events];
    }

    public int answered() {
        return answered.get();
    }

    public int acked() {
        return acked.get();
    }

    public int duplicates() {
        return duplicates.get();
    }

    /** Broker append of the event → broker append of its recommendation, ms, for every answered event. */
    public long[] appendToAppendMillis() {
        return differences(appendMillis, answerAppendMillis);
    }

    /** As {@link #appendToAppendMillis}, for the events appended {@code settleMillis} or more after the phase's first. */
    public long[] appendToAppendMillisAfter(long settleMillis) {
        long from = firstAppendMillis() + settleMillis;
        answered.get();
        acked.get();
        long[] d = new long[events];
        int k = 0;
        for (int i = 0; i < events; i++) {
            if (appendMillis[i] >= from && answerAppendMillis[i] != 0) {
                d[k++] = answerAppendMillis[i] - appendMillis[i];
            }
        }
        d = Arrays.copyOf(d, k);
        Arrays.sort(d);
        return d;
    }

    /** Producer send (the event's eventTime field) → the job's emit time field, ms. */
    public long[] sendToEmitMillis() {
        return differences(sendMillis, emitMillis);
    }

    /** The event's broker append → the job's emit time field (source, decode, shuffle, state, inference), ms. */
    public long[] appendToEmitMillis() {
        return differences(appendMillis, emitMillis);
    }

    /** Producer send → the event's broker append, ms. */
    public long[] sendToAppendMillis() {
        return differences(sendMillis, appendMillis);
    }

    /** The job's emit → the recommendation's broker append (the sink's share), ms. */
    public long[] emitToAppendMillis() {
        return differences(emitMillis, answerAppendMillis);
    }

    /** Broker append times of the recommendations, sorted. */
    public long[] answerTimes() {
        int n = answered.get();
        long[] t = new long[n];
        int k = 0;
        for (int i = 0; i < events && k < n; i++) {
            if (answerAppendMillis[i] != 0) {
                t[k++] = answerAppendMillis[i];
            }
        }
        t = Arrays.copyOf(t, k);
        Arrays.sort(t);
        return t;
    }

    /** Earliest broker append of this phase's events. */
    public long firstAppendMillis() {
        long first = Long.MAX_VALUE;
        int n = acked.get();
        for (int i = 0; i < events && n > 0; i++) {
            if (appendMillis[i] != 0) {
                first = Math.min(first, appendMillis[i]);
            }
        }
        return first == Long.MAX_VALUE ? 0 : first;
    }

    /**
     * Per second of the phase (by the recommendation's append, from the first event's append): answers,
     * and their append → append latency p50, p99 and max, ms. Shows where a tail comes from
     * (a checkpoint, a collection, a backlog).
     */
    public long[][] timeline() {
        long first = firstAppendMillis();
        int n = answered.get();
        acked.get();
        java.util.Map<Integer, java.util.List<Long>> bySecond = new java.util.TreeMap<>();
        for (int i = 0; i < events && n > 0; i++) {
            if (appendMillis[i] != 0 && answerAppendMillis[i] != 0) {
                int second = (int) ((answerAppendMillis[i] - first) / 1000);
                bySecond.computeIfAbsent(second, k -> new java.util.ArrayList<>()).add(answerAppendMillis[i] - appendMillis[i]);
            }
        }
        long[][] rows = new long[bySecond.size()][];
        int k = 0;
        for (var e : bySecond.entrySet()) {
            long[] l = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            rows[k++] = new long[] {e.getKey(), l.length, l[Math.max(0, (int) Math.ceil(0.5 * l.length) - 1)],
                    l[Math.max(0, (int) Math.ceil(0.99 * l.length) - 1)], l[l.length - 1]};
        }
        return rows;
    }

    private long[] differences(long[] from, long[] to) {
        answered.get();
        acked.get();
        long[] d = new long[events];
        int k = 0;
        for (int i = 0; i < events; i++) {
            if (from[i] != 0 && to[i] != 0) {
                d[k++] = to[i] - from[i];
            }
        }
        d = Arrays.copyOf(d, k);
        Arrays.sort(d);
        return d;
    }
}

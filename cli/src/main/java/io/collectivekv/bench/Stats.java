package io.collectivekv.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Percentiles of sorted samples (nearest rank), as JSON. */
final class Stats {
    private Stats() {}

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static double mean(long[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (long v : values) {
            s += v;
        }
        return s / values.length;
    }

    /** {count, mean, p50, p95, p99, max} of sorted millisecond samples. */
    static ObjectNode summary(long[] sorted) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("count", sorted.length);
        put(n, "mean", mean(sorted));
        put(n, "p50", percentile(sorted, 50));
        put(n, "p95", percentile(sorted, 95));
        put(n, "p99", percentile(sorted, 99));
        put(n, "max", sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
        return n;
    }

    /** NaN and infinities become JSON null. */
    static void put(ObjectNode n, String key, double value) {
        if (Double.isFinite(value)) {
            n.put(key, Math.round(value * 1000) / 1000.0);
        } else {
            n.putNull(key);
        }
    }
}

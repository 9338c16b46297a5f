package io.collectivekv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** The targets of the benchmarks issue checked against a run, and the run as Markdown tables. */
public final class BenchReport {
    public static final double THROUGHPUT_RATIO = 3;
    public static final double STATE_RATIO = 1.0 / 20;
    public static final double P99_MS = 50;
    public static final double EVENTS_PER_S = 5000;

    private BenchReport() {}

    public static ObjectNode reference() {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("throughput_vs_none", THROUGHPUT_RATIO);
        r.put("state_vs_full", STATE_RATIO);
        r.put("p99_ms", P99_MS);
        r.put("p99_at_share_of_max", "50%");
        r.put("events_per_s", EVENTS_PER_S);
        return r;
    }

    static JsonNode mode(JsonNode report, String name) {
        for (JsonNode m : report.path("modes")) {
            if (m.path("mode").asText().equals(name)) {
                return m;
            }
        }
        return null;
    }

    static JsonNode measurement(JsonNode mode, String label) {
        if (mode == null) {
            return null;
        }
        for (JsonNode m : mode.path("measurements")) {
            if (m.path("label").asText().equals(label)) {
                return m;
            }
        }
        return null;
    }

    /** A number, or NaN when it is missing or null. */
    static double value(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private static double stateMean(JsonNode mode) {
        double last = Double.NaN;
        if (mode != null) {
            for (JsonNode m : mode.path("measurements")) {
                JsonNode v = m.path("job_metrics").path("histograms").path("stateBytesPerUser").path("mean");
                if (v.isNumber()) {
                    last = v.asDouble();
                }
            }
        }
        return last;
    }

    /** Each target: what it asks, what was measured, met or not (null: not measured in this run), and why. */
    public static ArrayNode targets(JsonNode report) {
        ArrayNode targets = JsonNodeFactory.instance.arrayNode();
        JsonNode collective = mode(report, "collective");
        JsonNode full = mode(report, "full");
        JsonNode none = mode(report, "none");
        JsonNode cMax = measurement(collective, "max");
        JsonNode nMax = measurement(none, "max");

        double c = cMax == null ? Double.NaN : value(cMax.path("events_per_s"));
        double n = nMax == null ? Double.NaN : value(nMax.path("events_per_s"));
        add(targets, "collective ≥ 3× the events/s of none", "ratio ≥ 3", c / n, c / n >= THROUGHPUT_RATIO,
                String.format(Locale.ROOT, "%,.0f vs %,.0f events/s at full speed", c, n));

        double cs = stateMean(collective);
        double fs = stateMean(full);
        JsonNode curve = report.path("state_curve");
        double cacheRatio = curve.path("collective_cache_at_w").asDouble() / curve.path("full_cache_at_w").asDouble();
        add(targets, "collective state per user ≤ 1/20 of full's", "ratio ≤ 0.05", cs / fs, cs / fs <= STATE_RATIO,
                String.format(Locale.ROOT, "stateBytesPerUser %,.0f vs %,.0f bytes (1/%.1f); the caches alone at W: %,d vs %,d bytes (1/%.1f)",
                        cs, fs, fs / cs, curve.path("collective_cache_at_w").asLong(), curve.path("full_cache_at_w").asLong(), 1 / cacheRatio));

        JsonNode half = measurement(collective, "50%");
        double p99 = half == null ? Double.NaN : value(half.path("latency_ms").path("p99"));
        add(targets, "collective p99 ≤ 50 ms at half its maximum rate", "p99 ≤ 50 ms", p99, p99 <= P99_MS,
                half == null ? "no 50% measurement" : String.format(Locale.ROOT, "at %,.0f events/s: p50 %s, p95 %s, p99 %s ms; "
                        + "append → job emit p99 %s ms, job emit → append p99 %s ms",
                        half.path("events_per_s").asDouble(), half.path("latency_ms").path("p50").asText(),
                        half.path("latency_ms").path("p95").asText(), half.path("latency_ms").path("p99").asText(),
                        half.path("latency_parts_ms").path("append_to_job_emit").path("p99").asText(),
                        half.path("latency_parts_ms").path("job_emit_to_append").path("p99").asText()));

        add(targets, "collective ≥ 5,000 events/s end to end", "≥ 5,000 events/s", c, c >= EVENTS_PER_S,
                cMax == null ? "" : profile(cMax, report.path("machine").path("cores").asInt(Runtime.getRuntime().availableProcessors())));
        return targets;
    }

    /** Where the CPU of one event went at full speed, and the ceiling two cores put on the rate. */
    static String profile(JsonNode m, double cores) {
        JsonNode cpu = m.path("cpu_us_per_event");
        double process = cpu.path("process").asDouble();
        double broker = cpu.path("kafka_broker").asDouble(0);
        StringBuilder top = new StringBuilder();
        int shown = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = cpu.path("by_thread_group").fields(); it.hasNext() && shown < 4; shown++) {
            Map.Entry<String, JsonNode> e = it.next();
            top.append(String.format(Locale.ROOT, "%s%s %.0f", shown == 0 ? "" : "; ", e.getKey(), e.getValue().asDouble()));
        }
        return String.format(Locale.ROOT, "CPU per event: %.0f µs in the bench JVM (job %.0f, bench clients %.0f) + %.0f µs in the "
                        + "broker; step histogram mean %s µs. Largest: %s µs. %.0f cores / %.0f µs ≈ %,.0f events/s ceiling",
                process, cpu.path("job").asDouble(), cpu.path("bench_clients").asDouble(), broker,
                m.path("job_metrics").path("histograms").path("stepLatencyMicros").path("mean").asText("?"), top,
                cores, process + broker, cores * 1e6 / (process + broker));
    }

    private static void add(ArrayNode targets, String target, String required, double value, boolean met, String measured) {
        ObjectNode t = targets.addObject();
        t.put("target", target);
        t.put("required", required);
        Stats.put(t, "value", value);
        if (Double.isNaN(value)) {
            t.putNull("met");
        } else {
            t.put("met", met);
        }
        t.put("measured", measured);
    }

    /** The run as Markdown: measurements, state, CPU profile at full speed, targets. */
    public static String markdown(JsonNode report) {
        StringBuilder md = new StringBuilder();
        md.append("| cache mode | rate | events/s | p50 ms | p95 ms | p99 ms | p99 ms, whole phase | CPU µs/event: bench JVM (job + bench clients) | broker µs/event | step µs (mean) | checkpoints (mean ms) | other processes, cores |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode mode : report.path("modes")) {
            for (JsonNode m : mode.path("measurements")) {
                JsonNode l = m.path("latency_ms");
                JsonNode cpu = m.path("cpu_us_per_event");
                JsonNode ck = m.path("checkpoints");
                String rate = m.path("target_events_per_s").isNumber()
                        ? String.format(Locale.ROOT, "%s (%,.0f/s)", m.path("label").asText(), m.path("target_events_per_s").asDouble())
                        : "full speed";
                md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %s | %s | %s | %s | %s (%s + %s) | %s | %s | %d (%s) | %s |%n",
                        mode.path("mode").asText(), rate, m.path("events_per_s").asDouble(), num(l.path("p50")), num(l.path("p95")),
                        num(l.path("p99")), num(m.path("latency_ms_whole_phase").path("p99")), num(cpu.path("process")), num(cpu.path("job")), num(cpu.path("bench_clients")),
                        num(cpu.path("kafka_broker")),
                        num(m.path("job_metrics").path("histograms").path("stepLatencyMicros").path("mean")),
                        ck.path("count").asInt(), num(ck.path("mean_duration_ms")), num(m.path("cores_busy_other_processes"))));
            }
        }
        md.append("\n| cache mode | stateBytesPerUser (mean) | cache at W (CacheCodec) | RocksDB live data / user | RocksDB SST files / user | "
                + "latest checkpoint / user | latest checkpoint | its duration ms |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        JsonNode curve = report.path("state_curve");
        for (JsonNode mode : report.path("modes")) {
            JsonNode last = null;
            for (JsonNode m : mode.path("measurements")) {
                last = m;
            }
            if (last == null) {
                continue;
            }
            String name = mode.path("mode").asText();
            JsonNode perUser = last.path("job_metrics").path("rocksdb_bytes_per_user");
            JsonNode latest = last.path("checkpoints").path("latest");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", name,
                    num(last.path("job_metrics").path("histograms").path("stateBytesPerUser").path("mean")),
                    name.equals("none") ? "0" : String.format(Locale.ROOT, "%,d", curve.path(name + "_cache_at_w").asLong()),
                    num(find(perUser, "estimate-live-data-size")), num(find(perUser, "total-sst-files-size")),
                    num(latest.path("state_size_bytes_per_user")), bytes(latest.path("state_size_bytes").asLong()),
                    num(latest.path("duration_ms"))));
        }
        md.append("\n| cache mode | CPU µs per event at full speed, by thread group |\n|---|---|\n");
        for (JsonNode mode : report.path("modes")) {
            JsonNode max = measurement(mode, "max");
            if (max == null) {
                continue;
            }
            StringBuilder groups = new StringBuilder();
            double rest = 0;
            int shown = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = max.path("cpu_us_per_event").path("by_thread_group").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (shown < 6 || e.getKey().startsWith("other")) {
                    groups.append(String.format(Locale.ROOT, "%s%s %.0f", groups.length() == 0 ? "" : "; ", e.getKey(), e.getValue().asDouble()));
                    shown++;
                } else {
                    rest += e.getValue().asDouble();
                }
            }
            groups.append(String.format(Locale.ROOT, "; the other Java threads %.0f", rest));
            JsonNode jvm = max.path("bench_jvm");
            if (jvm.has("gc_ms")) {
                groups.append(String.format(Locale.ROOT, " (GC: %d collections, %d ms in %.1f s; JIT %d ms)", jvm.path("gc_collections").asLong(),
                        jvm.path("gc_ms").asLong(), max.path("seconds").asDouble(), jvm.path("jit_ms").asLong()));
            }
            md.append("| ").append(mode.path("mode").asText()).append(" | ").append(groups).append(" |\n");
        }
        md.append("\n| target | measured | met |\n|---|---|---|\n");
        for (JsonNode t : report.path("targets")) {
            md.append(String.format(Locale.ROOT, "| %s | %s (%s) | %s |%n", t.path("target").asText(), num(t.path("value")),
                    t.path("measured").asText(), t.path("met").isNull() ? "not measured" : t.path("met").asBoolean() ? "**met**" : "**missed**"));
        }
        return md.toString();
    }

    private static JsonNode find(JsonNode metrics, String suffix) {
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().endsWith(suffix)) {
                return e.getValue();
            }
        }
        return JsonNodeFactory.instance.missingNode();
    }

    private static String num(JsonNode n) {
        if (!n.isNumber()) {
            return "–";
        }
        double v = n.asDouble();
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String bytes(long b) {
        if (b >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MB", b / 1048576.0);
        }
        return String.format(Locale.ROOT, "%.1f KB", b / 1024.0);
    }
}

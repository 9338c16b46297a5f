package io.collectivekv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.collectivekv.cache.CacheCodec;
import io.collectivekv.cache.Precision;
import io.collectivekv.data.UserSequences;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's pieces that need no broker or job: the workload, the state curve, the targets, the charts. */
class BenchPiecesTest {
    @TempDir
    Path dir;

    private static UserSequences data() {
        Map<String, List<String>> users = new LinkedHashMap<>();
        users.put("short", List.of("a", "b"));
        users.put("long", List.of("a", "b", "c", "d", "e"));
        users.put("middle", List.of("c", "d", "e"));
        return UserSequences.of(users);
    }

    @Test
    void workloadTakesTheLongestHistoriesRoundRobinAndRestartsThemWithUniqueIds() {
        Workload w = new Workload(data(), 2);
        assertEquals(2, w.userCount());
        List<Workload.Event> first = w.next(0, 6);
        assertEquals(List.of("long", "middle", "long", "middle", "long", "middle"), first.stream().map(Workload.Event::userId).toList());
        assertEquals(List.of("a", "c", "b", "d", "c", "e"), first.stream().map(Workload.Event::itemId).toList());
        // The next phase continues each user where it stopped, and "middle" starts its history over.
        List<Workload.Event> second = w.next(1, 4);
        assertEquals(List.of("d", "c", "e", "d"), second.stream().map(Workload.Event::itemId).toList());
        Set<String> ids = new HashSet<>();
        first.forEach(e -> ids.add(e.eventId()));
        second.forEach(e -> ids.add(e.eventId()));
        assertEquals(10, ids.size());
        assertEquals(List.of(1, 3), List.of(Workload.parse("1-3")[0], Workload.parse("1-3")[1]));
        assertNull(Workload.parse("u42#7"));
    }

    @Test
    void stateCurveIsTheCodecSizeUpToTheWindowAndFlatBeyond() {
        ModelConfig config = ModelConfig.defaults(3416).withWindow(20);
        JsonNode curve = StateCurve.compute(config, Precision.FP32, 64, 4, 7, 60);
        CacheCodec collective = new CacheCodec(config.withKvMode(KvMode.COLLECTIVE), Precision.FP32);
        CacheCodec full = new CacheCodec(config.withKvMode(KvMode.FULL), Precision.FP32);
        assertEquals(collective.encodedSize(7), curve.path("collective_cache").get(6).asLong());
        assertEquals(full.encodedSize(20), curve.path("full_cache").get(19).asLong());
        assertEquals(full.encodedSize(20), curve.path("full_cache").get(59).asLong());
        assertEquals(0, curve.path("none_cache").get(59).asLong());
        assertTrue(curve.path("none_total").get(59).asLong() > 0, "none keeps the window and the dedup ids");
        assertEquals(full.encodedSize(20), curve.path("full_cache_at_w").asLong());
    }

    @Test
    void targetsAreJudgedFromTheFiguresAndTheChartsAreWritten() throws Exception {
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.set("targets_reference", BenchReport.reference());
        report.putObject("setup").put("window", 20).put("users", 10).put("data_name", "test");
        ArrayNode modes = report.putArray("modes");
        mode(modes, "collective", 3000, 1000, 8, 40, 500);
        mode(modes, "full", 1500, 200_000, 12, 90, 800);
        mode(modes, "none", 900, 1500, 30, 120, 2000);
        report.set("state_curve", StateCurve.compute(ModelConfig.defaults(100).withWindow(20), Precision.FP32, 64, 4, 7, 40));
        JsonNode targets = BenchReport.targets(report);
        report.set("targets", targets);
        assertEquals(4, targets.size());
        assertTrue(targets.get(0).path("met").asBoolean(), targets.toString()); // 3000 / 900 ≥ 3
        assertTrue(targets.get(1).path("met").asBoolean(), targets.toString()); // 1000 / 200000 ≤ 1/20
        assertTrue(targets.get(2).path("met").asBoolean(), targets.toString()); // p99 40 ms at 50%
        assertFalse(targets.get(3).path("met").asBoolean(), targets.toString()); // 3000 < 5000
        String md = BenchReport.markdown(report);
        assertTrue(md.contains("| collective | full speed | 3,000 |"), md);
        for (Path p : BenchPlots.write(report, dir)) {
            assertTrue(Files.size(p) > 1000, p.toString());
        }
    }

    private static void mode(ArrayNode modes, String name, double max, double stateBytes, double p50, double p99, double cpu) {
        ObjectNode m = modes.addObject();
        m.put("mode", name);
        ArrayNode runs = m.putArray("measurements");
        for (String label : List.of("max", "50%")) {
            ObjectNode r = runs.addObject();
            r.put("label", label);
            double rate = label.equals("max") ? max : max / 2;
            if (label.equals("max")) {
                r.putNull("target_events_per_s");
            } else {
                r.put("target_events_per_s", rate);
            }
            r.put("events_per_s", rate);
            r.put("history_per_user", label.equals("max") ? 30 : 35);
            r.putObject("latency_ms").put("p50", p50).put("p95", p99 * 0.8).put("p99", label.equals("max") ? p99 * 10 : p99);
            ObjectNode c = r.putObject("cpu_us_per_event").put("process", cpu).put("job", cpu * 0.8).put("bench_clients", cpu * 0.2)
                    .put("kafka_broker", 100);
            c.putObject("by_thread_group").put("job: task recommend", cpu * 0.6);
            r.putObject("job_metrics").putObject("histograms").putObject("stateBytesPerUser").put("mean", stateBytes);
            r.putObject("checkpoints").put("count", 1).put("mean_duration_ms", 30);
        }
    }
}

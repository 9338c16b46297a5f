package io.collectivekv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.cache.KvCache;
import io.collectivekv.inference.ModelSession;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.ModelStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Where a step's time goes inside ONNX Runtime. ORT profiles every node of the step graph; the
 * exporter names each node after the {@link ModelStage} it belongs to, so kernel times add up per
 * stage: routing (the new tokens' routers, argmax and user parts, plus the pool gathers that expand
 * the cached entries; for a full cache, the K/V projections and the cache's concatenation),
 * attention, dense layers, scoring, and the graph's glue. The rest of a profiled run is ORT's
 * executor between kernels. The profiler's own bookkeeping inflates every node by about the same
 * amount, so the node count per stage is reported beside its time. The step's unprofiled time and
 * the state codec are {@link InferenceBenchmark}'s (JMH). Same models: random weights, HSTU, 2
 * layers, ML-1M's catalogue, one ORT thread.
 */
@Command(name = "step-profile", mixinStandardHelpOptions = true,
        description = "Split a step's time inside ONNX Runtime into routing, attention, dense layers, scoring and glue.")
public final class StepProfile implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--modes", split = ",", description = "kv modes (default: ${DEFAULT-VALUE})")
    List<String> modes = List.of("collective", "full");

    @Option(names = "--windows", split = ",", description = "W values (default: ${DEFAULT-VALUE})")
    List<Integer> windows = List.of(50, 200, 1000);

    @Option(names = "--d", split = ",", description = "model widths (default: ${DEFAULT-VALUE})")
    List<Integer> widths = List.of(64, 256);

    @Option(names = "--steps", description = "profiled steps per shape (default: ${DEFAULT-VALUE})")
    int steps = 2000;

    @Option(names = "--warmup", description = "steps first, left out of the figures: the JIT and ORT's allocator settle (default: ${DEFAULT-VALUE})")
    int warmup = 500;

    @Option(names = "--out", description = "write the figures here as JSON (default: ${DEFAULT-VALUE})")
    Path out = Path.of("docs/step-profile.json");

    public static void main(String[] args) {
        System.exit(new CommandLine(new StepProfile()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        ArrayNode rows = JSON.createArrayNode();
        System.out.printf("%-10s %4s %5s | %11s | %s%n", "kv mode", "d", "W", "profiled µs",
                "kernel µs (nodes): routing, attention, dense, scoring, glue; between kernels");
        for (String mode : modes) {
            for (int d : widths) {
                for (int window : windows) {
                    ObjectNode row = profile(KvMode.valueOf(mode.toUpperCase(Locale.ROOT)), d, window);
                    rows.add(row);
                    JsonNode us = row.get("kernel_microseconds_per_step");
                    JsonNode n = row.get("nodes_per_step");
                    System.out.printf(Locale.ROOT, "%-10s %4d %5d | %11.1f | %.1f (%d), %.1f (%d), %.1f (%d), %.1f (%d), %.1f (%d); %.1f%n",
                            mode, d, window, row.get("profiled_run").asDouble(),
                            us.get("routing").asDouble(), n.get("kv").asInt() + n.get("cache").asInt(),
                            us.get("attention").asDouble(), n.get("attention").asInt(), us.get("dense").asDouble(), n.get("dense").asInt(),
                            us.get("scoring").asDouble(), n.get("scoring").asInt(), us.get("glue").asDouble(), n.get("glue").asInt(),
                            row.get("between_kernels").asDouble());
                }
            }
        }
        ObjectNode report = JSON.createObjectNode();
        report.put("command", "bin/bench profile " + String.join(" ", argsOf()));
        report.put("steps_per_shape", steps);
        report.set("rows", rows);
        Files.createDirectories(out.toAbsolutePath().getParent());
        JSON.writeValue(out.toFile(), report);
        System.out.println("wrote " + out);
        return 0;
    }

    private List<String> argsOf() {
        return List.of("--modes", String.join(",", modes), "--d", join(widths), "--windows", join(windows), "--steps", Integer.toString(steps));
    }

    private static String join(List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    /** One shape's figures; its model and ORT's trace (over 100 MB at W = 1,000) are deleted afterwards. */
    private ObjectNode profile(KvMode mode, int d, int window) throws IOException {
        Path dir = RandomModel.tempDir();
        try {
            return profile(InferenceBenchmark.config(mode, d, window), dir);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private ObjectNode profile(ModelConfig config, Path dir) throws IOException {
        int window = config.window();
        ModelArtifact artifact = RandomModel.export(config, dir);
        SplittableRandom random = new SplittableRandom(11);
        int[] history = random.ints(window, ModelConfig.RESERVED_ROWS, config.itemRows()).toArray();
        Path prefix = dir.resolve("step-profile");
        try (ModelSession profiled = ModelSession.openProfiled(artifact, 1, prefix)) {
            KvCache cache = profiled.prefill(List.of(history)).get(0).cache(); // W tokens: every step evicts one
            for (int i = 0; i < warmup + steps; i++) {
                profiled.step(List.of(cache), new int[] {history[i % window]});
            }
        }
        Path trace;
        try (Stream<Path> files = Files.list(dir)) {
            trace = files.filter(p -> p.getFileName().toString().startsWith("step-profile") && p.toString().endsWith(".json"))
                    .findFirst().orElseThrow(() -> new IOException("ONNX Runtime wrote no profile under " + dir));
        }
        // Only the step graph is profiled (the prefill graph is a session of its own), so every
        // model_run in the trace is one step; the first `warmup` of them, and their nodes, are left out.
        JsonNode events = JSON.readTree(trace.toFile());
        List<Double> runStarts = new ArrayList<>();
        for (JsonNode e : events) {
            if (e.path("cat").asText().equals("Session") && e.path("name").asText().equals("model_run")) {
                runStarts.add(e.path("ts").asDouble());
            }
        }
        if (runStarts.size() != warmup + steps) {
            throw new IOException("the profile holds " + runStarts.size() + " step runs, expected " + (warmup + steps));
        }
        Collections.sort(runStarts);
        double measuredFrom = runStarts.get(warmup);
        Map<ModelStage, Double> kernels = new EnumMap<>(ModelStage.class);
        Map<ModelStage, Integer> nodes = new EnumMap<>(ModelStage.class);
        double runs = 0;
        for (JsonNode e : events) {
            String cat = e.path("cat").asText();
            String name = e.path("name").asText();
            double dur = e.path("dur").asDouble();
            if (e.path("ts").asDouble() < measuredFrom) {
                continue;
            }
            if (cat.equals("Session") && name.equals("model_run")) {
                runs += dur;
            } else if (cat.equals("Node") && name.endsWith("_kernel_time")) {
                // Nodes that ORT fused or added (its Squeeze/LayerNorm fusions) keep no stage prefix.
                int slash = name.indexOf('/');
                ModelStage stage = slash < 0 ? ModelStage.GLUE : stageOf(name.substring(0, slash));
                kernels.merge(stage, dur, Double::sum);
                nodes.merge(stage, 1, Integer::sum);
            }
        }
        ObjectNode us = JSON.createObjectNode();
        ObjectNode perStepNodes = JSON.createObjectNode();
        for (ModelStage stage : ModelStage.values()) {
            us.put(stage.id(), perStep(kernels.getOrDefault(stage, 0.0)));
            perStepNodes.put(stage.id(), nodes.getOrDefault(stage, 0) / steps);
        }
        us.put("routing", perStep(kernels.getOrDefault(ModelStage.KV, 0.0) + kernels.getOrDefault(ModelStage.CACHE, 0.0)));

        ObjectNode row = JSON.createObjectNode();
        row.put("kv_mode", config.kvMode().id());
        row.put("d", config.d());
        row.put("window", window);
        row.put("profiled_run", perStep(runs));
        row.put("between_kernels", perStep(runs - kernels.values().stream().mapToDouble(Double::doubleValue).sum()));
        row.set("kernel_microseconds_per_step", us);
        row.set("nodes_per_step", perStepNodes);
        return row;
    }

    private double perStep(double totalMicros) {
        return round(totalMicros / steps);
    }

    /** A node prefix that is no stage (none is emitted) counts as glue rather than failing the run. */
    private static ModelStage stageOf(String id) {
        for (ModelStage s : ModelStage.values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return ModelStage.GLUE;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}

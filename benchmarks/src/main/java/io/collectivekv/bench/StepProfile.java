package io.collectivekv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.cache.CacheCodec;
import io.collectivekv.cache.KvCache;
import io.collectivekv.cache.Precision;
import io.collectivekv.inference.ModelSession;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.ModelStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
 * Where a step's time goes. ONNX Runtime profiles every node of the step graph; the exporter names
 * each node after the {@link ModelStage} it belongs to, so the kernel times add up per stage:
 * routing (the new tokens' routers, argmax and user parts, plus the pool gathers that expand the
 * cached entries; for a full cache, the K/V projections and the cache's concatenation), attention,
 * dense layers, scoring, and the graph's glue. The profiler's own cost inflates small kernels, so
 * the step's time (the median) is measured in a second, unprofiled session, and the number of
 * nodes each stage runs per step is reported beside its time. Also the cache's state codec (decode
 * + encode, the work around each RocksDB read and write). Same models as {@link InferenceBenchmark}:
 * random weights, HSTU, 2 layers, ML-1M's catalogue, one ORT thread.
 */
@Command(name = "step-profile", mixinStandardHelpOptions = true,
        description = "Split the cost of one step into routing, attention, dense layers, scoring and the state codec.")
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

    @Option(names = "--warmup", description = "unprofiled steps first, for the JIT and ORT's allocator (default: ${DEFAULT-VALUE})")
    int warmup = 500;

    @Option(names = "--out", description = "write the figures here as JSON (default: ${DEFAULT-VALUE})")
    Path out = Path.of("docs/step-profile.json");

    public static void main(String[] args) {
        System.exit(new CommandLine(new StepProfile()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        ArrayNode rows = JSON.createArrayNode();
        System.out.printf("%-10s %4s %5s | %8s | %9s | %-44s | %s%n", "kv mode", "d", "W", "step µs", "profiled",
                "kernel µs: routing attention dense scoring glue", "codec µs");
        for (String mode : modes) {
            for (int d : widths) {
                for (int window : windows) {
                    ObjectNode row = profile(KvMode.valueOf(mode.toUpperCase(Locale.ROOT)), d, window);
                    rows.add(row);
                    JsonNode us = row.get("kernel_microseconds_per_step");
                    System.out.printf(Locale.ROOT, "%-10s %4d %5d | %8.1f | %9.1f | %8.1f %9.1f %5.1f %7.1f %4.1f        | %.1f%n",
                            mode, d, window, row.get("step_wall").asDouble(), row.get("profiled_run").asDouble(),
                            us.get("routing").asDouble(), us.get("attention").asDouble(), us.get("dense").asDouble(),
                            us.get("scoring").asDouble(), us.get("glue").asDouble(), row.get("codec_round_trip").asDouble());
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

    private ObjectNode profile(KvMode mode, int d, int window) throws IOException {
        ModelConfig config = InferenceBenchmark.config(mode, d, window);
        Path dir = RandomModel.tempDir();
        ModelArtifact artifact = RandomModel.export(config, dir);
        SplittableRandom random = new SplittableRandom(11);
        int[] history = random.ints(window, ModelConfig.RESERVED_ROWS, config.itemRows()).toArray();
        // Medians, not means: a GC pause or another process's burst lands on a few steps only.
        long[] wall = new long[steps];
        try (ModelSession plain = ModelSession.open(artifact, 1)) {
            KvCache cache = plain.prefill(List.of(history)).get(0).cache(); // W tokens: every step evicts one
            for (int i = 0; i < warmup + steps; i++) {
                long t0 = System.nanoTime();
                plain.step(List.of(cache), new int[] {history[i % window]});
                if (i >= warmup) {
                    wall[i - warmup] = System.nanoTime() - t0;
                }
            }
        }
        Path prefix = dir.resolve("step-profile");
        try (ModelSession profiled = ModelSession.openProfiled(artifact, 1, prefix)) {
            KvCache cache = profiled.prefill(List.of(history)).get(0).cache();
            for (int i = 0; i < steps; i++) {
                profiled.step(List.of(cache), new int[] {history[i % window]});
            }
        }
        Path trace;
        try (Stream<Path> files = Files.list(dir)) {
            trace = files.filter(p -> p.getFileName().toString().startsWith("step-profile") && p.toString().endsWith(".json"))
                    .findFirst().orElseThrow(() -> new IOException("ONNX Runtime wrote no profile under " + dir));
        }
        // Only the step graph is profiled (the prefill graph is a session of its own), so every
        // model_run in the trace is one step.
        Map<ModelStage, Double> kernels = new EnumMap<>(ModelStage.class);
        Map<ModelStage, Integer> nodes = new EnumMap<>(ModelStage.class);
        double runs = 0;
        int runCount = 0;
        for (JsonNode e : JSON.readTree(trace.toFile())) {
            String cat = e.path("cat").asText();
            String name = e.path("name").asText();
            double dur = e.path("dur").asDouble();
            if (cat.equals("Session") && name.equals("model_run")) {
                runs += dur;
                runCount++;
            } else if (cat.equals("Node") && name.endsWith("_kernel_time")) {
                // Nodes that ORT fused or added (its Squeeze/LayerNorm fusions) keep no stage prefix.
                int slash = name.indexOf('/');
                ModelStage stage = slash < 0 ? ModelStage.GLUE : stageOf(name.substring(0, slash));
                kernels.merge(stage, dur, Double::sum);
                nodes.merge(stage, 1, Integer::sum);
            }
        }
        if (runCount != steps) {
            throw new IOException("the profile holds " + runCount + " step runs, expected " + steps);
        }
        ObjectNode us = JSON.createObjectNode();
        ObjectNode perStepNodes = JSON.createObjectNode();
        for (ModelStage stage : ModelStage.values()) {
            us.put(stage.id(), perStep(kernels.getOrDefault(stage, 0.0)));
            perStepNodes.put(stage.id(), nodes.getOrDefault(stage, 0) / steps);
        }
        us.put("routing", perStep(kernels.getOrDefault(ModelStage.KV, 0.0) + kernels.getOrDefault(ModelStage.CACHE, 0.0)));

        ObjectNode row = JSON.createObjectNode();
        row.put("kv_mode", mode.id());
        row.put("d", d);
        row.put("window", window);
        row.put("step_wall", round(median(wall) / 1e3));
        row.put("profiled_run", perStep(runs));
        row.set("kernel_microseconds_per_step", us);
        row.set("nodes_per_step", perStepNodes);
        row.put("codec_round_trip", round(codecMicros(config, artifact, history)));
        return row;
    }

    private double perStep(double totalMicros) {
        return round(totalMicros / steps);
    }

    /** µs for one decode + encode of a W-token cache: what a step's state read and write cost besides RocksDB. */
    private double codecMicros(ModelConfig config, ModelArtifact artifact, int[] history) {
        CacheCodec codec = new CacheCodec(config, Precision.FP32);
        KvCache cache;
        try (ModelSession session = ModelSession.open(artifact, 1)) {
            cache = session.prefill(List.of(history)).get(0).cache();
        }
        byte[] bytes = codec.encode(cache);
        int perBlock = 20;
        long[] blocks = new long[Math.max(20, steps / perBlock)];
        for (int b = -blocks.length; b < blocks.length; b++) { // the first half warms up
            long t0 = System.nanoTime();
            for (int i = 0; i < perBlock; i++) {
                bytes = codec.encode(codec.decode(bytes));
            }
            if (b >= 0) {
                blocks[b] = System.nanoTime() - t0;
            }
        }
        return median(blocks) / 1e3 / perBlock;
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

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}

package io.collectivekv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.bench.BenchModels;
import io.collectivekv.bench.BenchPlots;
import io.collectivekv.bench.BenchReport;
import io.collectivekv.bench.KafkaBroker;
import io.collectivekv.bench.ModeRunner;
import io.collectivekv.bench.StateCurve;
import io.collectivekv.bench.Workload;
import io.collectivekv.cache.Precision;
import io.collectivekv.data.UserSequences;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The end-to-end benchmark: a Kafka broker as its own process, the job on a MiniCluster with RocksDB
 * in this JVM, and a replay at full speed then at fixed rates, for each cache mode in one run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "End-to-end benchmark of the cache modes in one run: a Kafka broker as its own JVM (deploy/cluster/kafka.sh, "
                    + "stopped at the end, also on failure or Ctrl-C), the job on a Flink MiniCluster with RocksDB in this JVM "
                    + "(checkpoints every 10 s, REST on a free loopback port), and a producer replaying the data at full speed, "
                    + "then at fixed rates. Per cache mode and rate: sustained events/s; latency p50/p95/p99 from the event's "
                    + "append to Kafka to its recommendation's append (broker LogAppendTime on both topics); CPU per event "
                    + "(this JVM, the job's share without the bench's producer and consumer, and the broker's); state bytes per "
                    + "user (the job's stateBytesPerUser histogram, RocksDB's native size metrics, the checkpoint size); "
                    + "checkpoint sizes and durations. Writes --out (JSON) and two PNG charts, and prints Markdown tables.",
            "Each mode runs on fresh topics: a warm-up fills every user's window (W events per user), then one measurement "
                    + "per --rates entry. Everything shares this machine's cores with the broker."})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--model-dir", description = "a directory with the two artifacts, collective/ and full/, of the same shape "
            + "at window --window; default: made once and reused from models/bench-<cache shape>-w<W>-<weights>-<data id>")
    Path modelDir;

    @Option(names = "--weights", description = "without --model-dir: trained (1 epoch, seed 42) or random (seeded initial "
            + "weights; the cost per event does not depend on them) (default: ${DEFAULT-VALUE})")
    String weights = "trained";

    @Option(names = "--window", description = "W of the models: the default model's shape (HSTU, d = 128, 2 layers, d_u = 2, "
            + "m = 256) at this window (default: ${DEFAULT-VALUE})")
    int window = 200;

    @Option(names = "--modes", split = ",", description = "cache modes, in this order, in one run; none serves the collective "
            + "model (default: ${DEFAULT-VALUE})")
    List<String> modes = new ArrayList<>(List.of("collective", "full", "none"));

    @Option(names = "--rates", split = ",", description = "measurements per mode, in order: max (full speed), a share of "
            + "the max just measured (25%%), or events per second (default: ${DEFAULT-VALUE})")
    List<String> rates = new ArrayList<>(List.of("max", "25%", "50%", "75%"));

    @Option(names = "--events", description = "events per measurement at full speed; a fixed-rate measurement replays "
            + "min(--events, rate × --max-seconds) (default: ${DEFAULT-VALUE})")
    int events = 20_000;

    @Option(names = "--max-seconds", description = "longest a fixed-rate measurement replays (default: ${DEFAULT-VALUE})")
    int maxSeconds = 60;

    @Option(names = "--settle-seconds", description = "a fixed-rate measurement's latency percentiles leave out the events "
            + "of its first seconds, while the new rate settles (the JIT recompiles for it); the whole phase is in the JSON "
            + "too (default: ${DEFAULT-VALUE})")
    int settleSeconds = 5;

    @Option(names = "--users", description = "users taking part: the longest histories, round-robin, each restarted when "
            + "it runs out (default: ${DEFAULT-VALUE})")
    int users = 200;

    @Option(names = "--warmup", description = "events per user before the measurements, -1 = W (windows full: the steady "
            + "state) (default: ${DEFAULT-VALUE})")
    int warmup = -1;

    @Option(names = "--partitions", description = "partitions of the interactions and recommendations topics (default: ${DEFAULT-VALUE})")
    int partitions = 1;

    @Option(names = "--bootstrap-servers", description = "use this Kafka instead of starting a broker (its CPU is then not measured)")
    String bootstrapServers;

    @Option(names = "--set", description = "job setting, key=value (repeatable; see deploy/recommender.properties), e.g. "
            + "parallelism=2 or cache.precision=fp16")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--flink", description = "Flink setting for the MiniCluster, key=value (repeatable), e.g. "
            + "execution.buffer-timeout.interval=5ms")
    Map<String, String> flink = new LinkedHashMap<>();

    @Option(names = "--idle-timeout", description = "seconds without a recommendation before a measurement fails (default: ${DEFAULT-VALUE})")
    int idleTimeout = 120;

    @Option(names = "--work-dir", description = "the broker's run directory and the checkpoints (default: ${DEFAULT-VALUE})")
    Path workDir = Path.of("target", "bench");

    @Option(names = "--out", description = "the figures, JSON (default: ${DEFAULT-VALUE})")
    Path out = Path.of("docs", "benchmarks.json");

    @Option(names = "--plots-dir", description = "where the two PNG charts go (default: ${DEFAULT-VALUE})")
    Path plotsDir = Path.of("docs");

    @Option(names = "--plot-only", description = "only redraw the charts and print the tables from --out")
    boolean plotOnly;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        if (plotOnly) {
            JsonNode report = JSON.readTree(out.toFile());
            finish(report, stdout);
            return 0;
        }
        validate();
        long started = System.nanoTime();
        String startedAt = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        String runId = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        UserSequences all = data.read();
        Workload probe = new Workload(all, users);
        int w = warmup < 0 ? window : warmup;
        stdout.printf("data %s: %,d users, %,d interactions; %d users take part (mean history %.0f), warm-up %d events each%n",
                data.describe(), all.userCount(), all.interactionCount(), probe.userCount(), probe.meanHistory(), w);
        stdout.flush();
        Map<KvMode, Path> models = BenchModels.prepare(all, data.describe(), window, weights, modelDir, stdout, System.err);

        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.put("benchmark", "ckv bench: end to end, Kafka → Flink job (MiniCluster, RocksDB) → Kafka");
        report.put("command", "bin/" + Invocation.of(spec));
        report.put("started_at", startedAt);
        report.set("machine", machine());
        ObjectNode setup = report.putObject("setup");
        setup.put("data", data.describe());
        setup.put("data_name", data.file == null ? "synthetic" : data.file.getFileName().toString());
        setup.put("data_users", all.userCount());
        setup.put("data_interactions", all.interactionCount());
        setup.put("users", probe.userCount());
        setup.put("users_mean_history", Math.round(probe.meanHistory()));
        setup.put("warmup_events_per_user", w);
        setup.put("window", window);
        setup.put("weights", modelDir != null ? "as in --model-dir" : weights);
        ModelConfig shape = ModelArtifact.open(models.get(KvMode.COLLECTIVE)).config();
        ObjectNode model = setup.putObject("model");
        shape.toMap().forEach(model::put);
        model.remove("kv_mode");
        setup.put("model_collective", models.get(KvMode.COLLECTIVE).toString());
        setup.put("model_full", models.get(KvMode.FULL).toString());
        setup.putPOJO("rates", rates);
        setup.put("events", events);
        setup.put("max_seconds", maxSeconds);
        setup.put("settle_seconds", settleSeconds);
        setup.put("partitions", partitions);
        ObjectNode overrides = setup.putObject("job_overrides");
        settings.forEach(overrides::put);
        ObjectNode flinkOverrides = setup.putObject("flink_overrides");
        flink.forEach(flinkOverrides::put);
        setup.put("kafka", bootstrapServers != null ? "external: " + bootstrapServers
                : "a broker of its own: deploy/cluster/kafka.sh (KRaft, own JVM, 512 MB heap) on 127.0.0.1");
        report.set("definitions", definitions());
        report.set("targets_reference", BenchReport.reference());

        ArrayNode results = report.putArray("modes");
        ModeRunner.Settings s = new ModeRunner.Settings(users, w, rates, events, maxSeconds, idleTimeout, settleSeconds, partitions, settings, flink,
                workDir, runId);
        KafkaBroker broker = null;
        try {
            String bootstrap = bootstrapServers;
            if (bootstrap == null) {
                stdout.printf("starting a Kafka broker (deploy/cluster/kafka.sh, run directory %s) ...%n", workDir.resolve("kafka"));
                stdout.flush();
                broker = KafkaBroker.start(Path.of("").toAbsolutePath(), workDir.toAbsolutePath());
                bootstrap = broker.bootstrapServers();
                stdout.printf("kafka on %s (pid %d)%n", bootstrap, broker.pid());
            }
            for (String mode : modes) {
                Path artifact = models.get(mode.equals("full") ? KvMode.FULL : KvMode.COLLECTIVE);
                results.add(new ModeRunner(mode, artifact, bootstrap, broker, all, s, stdout).run());
            }
        } finally {
            if (broker != null) {
                broker.close();
                stdout.println("kafka stopped");
            }
        }
        report.put("duration_s", Math.round((System.nanoTime() - started) / 1e9));

        JobConfig job = JobConfig.of(settings);
        double longest = 2.0 * window;
        for (JsonNode m : results) {
            for (JsonNode r : m.path("measurements")) {
                longest = Math.max(longest, r.path("history_per_user").asDouble());
            }
        }
        report.set("state_curve", StateCurve.compute(shape, Precision.parse(JobSettings.CACHE_PRECISION.key(),
                        job.get(JobSettings.CACHE_PRECISION)), job.get(JobSettings.DEDUP_EVENTS), probe.meanItemIdLength(),
                meanEventIdLength(), (int) Math.ceil(longest * 1.05)));
        report.set("targets", BenchReport.targets(report));
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        JSON.writeValue(out.toFile(), report);
        stdout.println("wrote " + out);
        finish(report, stdout);
        return 0;
    }

    private void finish(JsonNode report, PrintWriter stdout) throws IOException {
        for (Path p : BenchPlots.write(report, plotsDir)) {
            stdout.println("wrote " + p);
        }
        stdout.println();
        stdout.print(BenchReport.markdown(report));
        stdout.flush();
    }

    private void validate() {
        Set<String> known = Set.of("collective", "full", "none");
        for (String m : modes) {
            if (!known.contains(m)) {
                throw new IllegalArgumentException("--modes: unknown cache mode '" + m + "' (collective, full, none)");
            }
        }
        if (!weights.equals("trained") && !weights.equals("random")) {
            throw new IllegalArgumentException("--weights: trained or random, not '" + weights + "'");
        }
        if (events < 1 || users < 1 || maxSeconds < 1 || partitions < 1 || idleTimeout < 1) {
            throw new IllegalArgumentException("--events, --users, --max-seconds, --partitions and --idle-timeout must be ≥ 1");
        }
        if (settleSeconds < 0 || settleSeconds >= maxSeconds) {
            throw new IllegalArgumentException("--settle-seconds must be in [0, --max-seconds)");
        }
        for (String r : rates) {
            String t = r.trim().toLowerCase(Locale.ROOT);
            if (!t.equals("max")) {
                try {
                    double v = Double.parseDouble(t.endsWith("%") ? t.substring(0, t.length() - 1) : t);
                    if (!(v > 0)) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--rates: '" + r + "' is not max, a share (50%) or events per second");
                }
            }
        }
        for (String key : List.of(JobSettings.CACHE_MODE.key(), JobSettings.MODEL_URI.key(), JobSettings.BOOTSTRAP_SERVERS.key())) {
            if (settings.containsKey(key)) {
                throw new IllegalArgumentException("--set " + key + ": the benchmark sets it (see --modes, --model-dir)");
            }
        }
        JobConfig.of(settings); // a bad key or value is refused before anything starts
    }

    /** Mean length of the event ids the measurements use ("phase-index"), for the state curve. */
    private double meanEventIdLength() {
        double sum = 0;
        int n = Math.max(1, events);
        for (int i = 0; i < n; i++) {
            sum += 2 + Integer.toString(i).length();
        }
        return sum / n;
    }

    private static ObjectNode machine() {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
        } catch (IOException e) {
            m.put("cpu", "?");
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            m.put("memory_gib", Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024)));
        }
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("bench_jvm_max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        m.put("note", "every process (broker, job, producer, consumer) shares these cores");
        try {
            m.put("loadavg_at_start", Files.readString(Path.of("/proc/loadavg")).trim());
        } catch (IOException e) {
            // not Linux
        }
        return m;
    }

    private static ObjectNode definitions() {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("events_per_s", "recommendations appended per second over the middle 80% of a measurement's answers (broker append "
                + "times); events_per_s_overall: all answers over first event append → last answer append");
        d.put("latency_ms", "broker append time of the recommendation record − broker append time of its interaction record, "
                + "at a fixed rate for the events after the first settle_seconds of the measurement (latency_ms_whole_phase: all); "
                + "the bench creates both topics with message.timestamp.type=LogAppendTime (the job's sink sets no record "
                + "timestamp, so otherwise the sink's producer CreateTime would stand there); ms resolution");
        d.put("latency_parts_ms", "producer_send_to_append: the event's eventTime field (set at send) → its append; "
                + "append_to_job_emit: append → the recommendation's emitTime field (set in RecommendFunction); "
                + "job_emit_to_append: emitTime → the recommendation's append (the Kafka sink)");
        d.put("cpu_us_per_event", "CPU time over the measurement (from the first send to the last answer) / answered events. "
                + "process: the bench JVM (com.sun.management.OperatingSystemMXBean.getProcessCpuTime: the job, the "
                + "MiniCluster, the bench's producer and consumer, GC, JIT, RocksDB's native threads); bench_clients: the "
                + "bench's own threads (ThreadMXBean: producer thread and its Kafka I/O thread, the recommendations consumer, "
                + "the main thread's REST polling); job = process − bench_clients; kafka_broker: the broker process "
                + "(/proc/<pid>/stat). At a fixed rate, idle-time work (checkpoints, timers, metrics) is spread over fewer events.");
        d.put("state_bytes_per_user", "stateBytesPerUser: the job's histogram (UserState.approximateBytes: cache + window rows "
                + "and item ids + dedup event ids) over its last 10,000 events, mean, from the REST API; RocksDB: native metrics "
                + "(estimate-live-data-size, total-sst-files-size: all versions not yet compacted) / users; checkpoint: the "
                + "latest completed checkpoint's full state_size (incremental: checkpointed_size is what it uploaded) / users");
        d.put("warmup", "W events per user at full speed before the measurements (not measured as a rate point), so every "
                + "measurement runs at full windows");
        return d;
    }
}

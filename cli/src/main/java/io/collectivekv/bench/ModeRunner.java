package io.collectivekv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.collectivekv.data.UserSequences;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.config.Setting;
import io.collectivekv.job.local.LocalJob;
import io.collectivekv.job.serve.UserState;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One cache mode of the benchmark: fresh topics, the job on a MiniCluster (RocksDB, checkpoints,
 * REST on a free loopback port), a warm-up that fills every user's window, then one measurement
 * per rate: full speed first, then fixed rates. Returns the figures as JSON.
 */
public final class ModeRunner {
    private static final JsonNodeFactory J = JsonNodeFactory.instance;
    /** Metric fetcher interval of the MiniCluster's REST endpoint (Flink's default: 10 s). */
    private static final Duration FETCH = Duration.ofSeconds(1);

    /**
     * How the benchmark runs, the same for every mode.
     *
     * @param users         users taking part (the longest histories)
     * @param warmupPerUser events per user before the measurements (W: windows full)
     * @param rates         "max", a share of the measured maximum ("50%"), or events per second ("800")
     * @param events        events of a measurement at full speed, and most events of one at a fixed rate
     * @param maxSeconds    a fixed-rate measurement replays at most rate × this many events
     * @param idleSeconds   give up when no recommendation arrives for this long
     * @param settleSeconds a fixed-rate measurement's latency percentiles leave out the events of its first seconds
     * @param job           job settings on top of the benchmark's (key=value, as --set)
     * @param flink         Flink settings on top of the job's (key=value)
     * @param workDir       checkpoints go under it
     * @param runId         names the topics and checkpoint folders of this run
     */
    public record Settings(int users, int warmupPerUser, List<String> rates, int events, int maxSeconds, int idleSeconds,
            int settleSeconds, int partitions, Map<String, String> job, Map<String, String> flink, Path workDir, String runId) {}

    private final String mode;
    private final Path model;
    private final String bootstrap;
    private final KafkaBroker broker;
    private final UserSequences data;
    private final Settings s;
    private final PrintWriter out;

    public ModeRunner(String mode, Path model, String bootstrap, KafkaBroker broker, UserSequences data, Settings settings,
            PrintWriter out) {
        this.mode = mode;
        this.model = model;
        this.bootstrap = bootstrap;
        this.broker = broker;
        this.data = data;
        this.s = settings;
        this.out = out;
    }

    /** The mode's figures: settings, the warm-up, and one entry per rate. */
    public ObjectNode run() throws Exception {
        String prefix = "bench-" + s.runId() + "-" + mode;
        Map<String, String> m = new HashMap<>();
        m.put(JobSettings.CHECKPOINT_DIR.key(), s.workDir().resolve("checkpoints").resolve(s.runId() + "-" + mode).toAbsolutePath().toUri().toString());
        m.putAll(s.job());
        m.put(JobSettings.BOOTSTRAP_SERVERS.key(), bootstrap);
        m.put(JobSettings.MODEL_URI.key(), model.toAbsolutePath().toString());
        m.put(JobSettings.CACHE_MODE.key(), mode);
        m.put(JobSettings.GROUP_ID.key(), prefix);
        m.put(JobSettings.TOPIC_INTERACTIONS.key(), prefix + "-interactions");
        m.put(JobSettings.TOPIC_RECOMMENDATIONS.key(), prefix + "-recommendations");
        m.put(JobSettings.TOPIC_DEAD_LETTERS.key(), prefix + "-dlq");
        m.put(JobSettings.TOPIC_RELEASES.key(), prefix + "-releases");
        JobConfig config = JobConfig.of(m);
        createTopics(config);

        Configuration flink = new Configuration();
        flink.setString("restart-strategy.type", "none");
        flink.setString("metrics.fetcher.update-interval", FETCH.toMillis() + " ms");
        flink.setString("web.checkpoints.history", "1000");
        flink.setString("web.refresh-interval", "1 s");
        flink.setString("rest.cache.checkpoint-statistics.timeout", "1 s");
        for (String metric : List.of("estimate-live-data-size", "total-sst-files-size", "live-sst-files-size",
                "estimate-num-keys", "cur-size-all-mem-tables", "block-cache-usage")) {
            flink.setString("state.backend.rocksdb.metrics." + metric, "true");
        }
        s.flink().forEach(flink::setString);
        int restPort = freePort();

        ObjectNode result = J.objectNode();
        result.put("mode", mode);
        result.put("model", model.toString());
        result.put("topics", prefix + "-*");
        ObjectNode jobSettings = result.putObject("job_settings");
        for (Setting<?> setting : List.of(JobSettings.CACHE_MODE, JobSettings.CACHE_PRECISION, JobSettings.PARALLELISM,
                JobSettings.CHECKPOINT_INTERVAL_MS, JobSettings.DELIVERY, JobSettings.INFERENCE_THREADS,
                JobSettings.DEDUP_EVENTS, JobSettings.TOP_K, JobSettings.EXCLUDE_SEEN)) {
            jobSettings.put(setting.key(), String.valueOf(config.get(setting)));
        }
        ObjectNode flinkSettings = result.putObject("flink_settings");
        flink.toMap().forEach(flinkSettings::put);

        out.printf("%n== cache.mode %s: model %s, topics %s-*, REST http://127.0.0.1:%d%n", mode, model, prefix, restPort);
        out.flush();
        Workload workload = new Workload(data, s.users());
        JobClient job = LocalJob.start(config, flink, restPort);
        JobProbe probe = new JobProbe("http://127.0.0.1:" + restPort, job.getJobID().toString());
        try (LoadProducer producer = new LoadProducer(bootstrap, config.get(JobSettings.TOPIC_INTERACTIONS), mode);
                AnswerMonitor monitor = new AnswerMonitor(bootstrap, config.get(JobSettings.TOPIC_RECOMMENDATIONS), s.partitions())) {
            monitor.start();
            int phaseId = 0;
            long replayed = 0;
            int warmup = s.warmupPerUser() * workload.userCount();
            if (warmup > 0) {
                Phase p = new Phase(phaseId, "warm-up", 0, warmup);
                replayed += warmup;
                ObjectNode r = measure(p, workload.next(phaseId, warmup), job, probe, producer, monitor, workload, replayed);
                Stats.put(r, "history_per_user", (double) replayed / workload.userCount());
                result.set("warmup", r);
            }
            double max = Double.NaN;
            ArrayNode runs = result.putArray("measurements");
            for (String rate : s.rates()) {
                phaseId++;
                double target = targetRate(rate, max);
                int events = target <= 0 ? s.events() : (int) Math.max(1, Math.min(s.events(), Math.ceil(target * s.maxSeconds())));
                Phase p = new Phase(phaseId, rate, target, events);
                replayed += events;
                ObjectNode r = measure(p, workload.next(phaseId, events), job, probe, producer, monitor, workload, replayed);
                Stats.put(r, "history_per_user", (double) replayed / workload.userCount());
                runs.add(r);
                if (target <= 0) {
                    max = r.path("events_per_s").asDouble();
                }
            }
            result.put("record_timestamp_type", String.valueOf(monitor.timestampType()));
        } finally {
            try {
                job.cancel().get(60, TimeUnit.SECONDS);
                waitTerminal(job);
            } catch (Exception e) {
                // already ended (a failure reported above), or the MiniCluster is gone with it
            }
        }
        return result;
    }

    private static double targetRate(String rate, double max) {
        String r = rate.trim().toLowerCase(Locale.ROOT);
        if (r.equals("max")) {
            return 0;
        }
        if (r.endsWith("%")) {
            if (Double.isNaN(max)) {
                throw new IllegalArgumentException("--rates: " + rate + " is a share of the maximum, which 'max' must measure first");
            }
            return max * Double.parseDouble(r.substring(0, r.length() - 1)) / 100.0;
        }
        return Double.parseDouble(r);
    }

    /** Replays the phase's events and waits for every recommendation; the figures of that measurement. */
    private ObjectNode measure(Phase phase, List<Workload.Event> events, JobClient job, JobProbe probe, LoadProducer producer,
            AnswerMonitor monitor, Workload workload, long eventsSoFar) throws Exception {
        monitor.register(phase);
        long startedMillis = System.currentTimeMillis();
        CpuSnapshot before = CpuSnapshot.take(brokerCpu());
        Thread sender = producer.start(phase, events);
        String task = String.format(Locale.ROOT, "%-10s %-7s", mode, phase.label);
        long lastCount = -1;
        long lastChange = System.nanoTime();
        long lastTick = System.nanoTime();
        long lastTickCount = 0;
        double rateNow = 0;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(phase.events)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setMaxRenderedLength(140).build()) {
            while (phase.answered() < phase.events) {
                Thread.sleep(250);
                long now = System.nanoTime();
                int answered = phase.answered();
                if (answered != lastCount) {
                    lastCount = answered;
                    lastChange = now;
                }
                if (now - lastTick >= 1_000_000_000L) {
                    rateNow = (answered - lastTickCount) * 1e9 / (now - lastTick);
                    lastTick = now;
                    lastTickCount = answered;
                }
                bar.stepTo(answered);
                bar.setExtraMessage(String.format(Locale.ROOT, "%5.0f ev/s  p50 %4d ms  p99 %5d ms%s", rateNow,
                        monitor.recentPercentile(50), monitor.recentPercentile(99),
                        phase.targetRate > 0 ? String.format(Locale.ROOT, "  (rate %.0f/s)", phase.targetRate) : ""));
                failIfBroken(job, producer, monitor);
                if (now - lastChange > TimeUnit.SECONDS.toNanos(s.idleSeconds())) {
                    throw new IllegalStateException(String.format("cache.mode %s, %s: no recommendation for %d s (%,d of %,d answered, "
                            + "%,d acknowledged by Kafka)", mode, phase.label, s.idleSeconds(), answered, phase.events, phase.acked()));
                }
            }
            bar.stepTo(phase.answered());
        }
        sender.join();
        CpuSnapshot after = CpuSnapshot.take(brokerCpu());
        long endedMillis = System.currentTimeMillis();
        ObjectNode r = figures(phase, CpuSnapshot.between(before, after, phase.producerThreadCpuNanos.get()));
        r.set("job_metrics", freshJobMetrics(probe, workload.userCount(), eventsSoFar));
        r.set("checkpoints", checkpoints(probe, startedMillis, endedMillis, workload.userCount(), phase.firstAppendMillis()));
        out.println(line(r));
        out.flush();
        return r;
    }

    private void failIfBroken(JobClient job, LoadProducer producer, AnswerMonitor monitor) throws Exception {
        if (job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
            throw new IllegalStateException("cache.mode " + mode + ": the job stopped: " + job.getJobStatus().get());
        }
        Throwable failed = producer.failure() != null ? producer.failure() : monitor.failure();
        if (failed != null) {
            throw new IOException("cache.mode " + mode + ": Kafka client failed: " + failed, failed);
        }
    }

    private OptionalLong brokerCpu() {
        return broker == null ? OptionalLong.empty() : broker.cpuNanos();
    }

    private ObjectNode figures(Phase phase, CpuSnapshot.Usage cpu) {
        ObjectNode r = J.objectNode();
        r.put("label", phase.label);
        if (phase.targetRate > 0) {
            Stats.put(r, "target_events_per_s", phase.targetRate);
        } else {
            r.putNull("target_events_per_s");
        }
        r.put("events", phase.events);
        r.put("answered", phase.answered());
        r.put("redelivered", phase.duplicates());
        long[] times = phase.answerTimes();
        long first = phase.firstAppendMillis();
        double sustained;
        double overall = times.length == 0 ? Double.NaN : times.length * 1000.0 / Math.max(1, times[times.length - 1] - first);
        if (times.length >= 50) {
            int lo = times.length / 10;
            int hi = times.length - 1 - times.length / 10;
            sustained = (hi - lo) * 1000.0 / Math.max(1, times[hi] - times[lo]);
        } else {
            sustained = overall;
        }
        Stats.put(r, "events_per_s", sustained);
        Stats.put(r, "events_per_s_overall", overall);
        Stats.put(r, "seconds", times.length == 0 ? Double.NaN : (times[times.length - 1] - first) / 1000.0);
        // A new rate settles first (the JIT recompiles for the paced pattern, the first checkpoint of the
        // phase): the percentiles are those of the events after it, at most a quarter of the phase; the
        // whole phase is kept too.
        double settle = phase.targetRate > 0 ? Math.min(s.settleSeconds(), phase.events / phase.targetRate / 4) : 0;
        if (settle > 0) {
            r.set("latency_ms", Stats.summary(phase.appendToAppendMillisAfter(Math.round(settle * 1000))));
            Stats.put(r, "latency_settle_s", settle);
        } else {
            r.set("latency_ms", Stats.summary(phase.appendToAppendMillis()));
            r.put("latency_settle_s", 0);
        }
        r.set("latency_ms_whole_phase", Stats.summary(phase.appendToAppendMillis()));
        ArrayNode timeline = r.putArray("timeline_per_second");
        for (long[] row : phase.timeline()) {
            ArrayNode a = timeline.addArray();
            for (long v : row) {
                a.add(v);
            }
        }
        ObjectNode parts = r.putObject("latency_parts_ms");
        parts.set("producer_send_to_append", Stats.summary(phase.sendToAppendMillis()));
        parts.set("append_to_job_emit", Stats.summary(phase.appendToEmitMillis()));
        parts.set("job_emit_to_append", Stats.summary(phase.emitToAppendMillis()));
        parts.set("producer_send_to_job_emit", Stats.summary(phase.sendToEmitMillis()));

        int n = Math.max(1, phase.answered());
        ObjectNode c = r.putObject("cpu_us_per_event");
        Stats.put(c, "process", cpu.processNanos() / 1e3 / n);
        Stats.put(c, "job", cpu.jobNanos() / 1e3 / n);
        Stats.put(c, "bench_clients", cpu.benchNanos() / 1e3 / n);
        Stats.put(c, "kafka_broker", cpu.brokerNanos() < 0 ? Double.NaN : cpu.brokerNanos() / 1e3 / n);
        ObjectNode groups = c.putObject("by_thread_group");
        cpu.byGroup().forEach((group, nanos) -> {
            if (nanos / 1e3 / n >= 0.05) {
                Stats.put(groups, group, nanos / 1e3 / n);
            }
        });
        ObjectNode jvm = r.putObject("bench_jvm");
        jvm.put("gc_ms", cpu.gcMillis());
        jvm.put("gc_collections", cpu.gcCount());
        Stats.put(jvm, "gc_ms_per_s", cpu.gcMillis() * 1e9 / cpu.wallNanos());
        jvm.put("jit_ms", cpu.jitMillis());
        Stats.put(r, "cores_busy_bench_jvm", cpu.processCores());
        Stats.put(r, "cores_busy_kafka_broker", cpu.brokerNanos() < 0 ? Double.NaN : (double) cpu.brokerNanos() / cpu.wallNanos());
        // The whole machine (/proc/stat): what else ran (other processes: noise), and the hypervisor's steal.
        Stats.put(r, "cores_busy_machine", cpu.machineBusyCores());
        Stats.put(r, "cores_busy_other_processes", cpu.brokerNanos() < 0 ? Double.NaN
                : Math.max(0, cpu.machineBusyCores() - cpu.processCores() - (double) cpu.brokerNanos() / cpu.wallNanos()));
        Stats.put(r, "cores_stolen", cpu.stealCores());
        return r;
    }

    /**
     * The job's metrics once they include every event so far. Flink's metric fetcher answers from its
     * store and refreshes it in the background when asked (at most once per {@link #FETCH}), so the
     * first answer after a phase can be the previous phase's: ask until the events counter has them all.
     */
    private ObjectNode freshJobMetrics(JobProbe probe, int users, long eventsSoFar) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ObjectNode metrics;
        do {
            Thread.sleep(FETCH.toMillis() / 2 + 100);
            metrics = jobMetrics(probe, users);
        } while (metrics.path("counters").path("events").asLong() < eventsSoFar && System.nanoTime() < deadline);
        metrics.put("fresh", metrics.path("counters").path("events").asLong() >= eventsSoFar);
        // Checkpoint statistics are cached for a second too.
        Thread.sleep(FETCH.toMillis() + 100);
        return metrics;
    }

    /** The recommend operator's histograms and counters, and RocksDB's native metrics, per user where it applies. */
    private ObjectNode jobMetrics(JobProbe probe, int users) {
        ObjectNode j = J.objectNode();
        try {
            Map<String, JobProbe.Metric> metrics = probe.metrics("recommend", id -> id.contains("stepLatencyMicros")
                    || id.contains("stateBytesPerUser") || id.contains("windowLength") || id.contains("rocksdb")
                    || id.endsWith(".events") || id.endsWith(".cacheRebuilds") || id.endsWith(".failedEvents")
                    || id.endsWith(".duplicatesDropped"));
            ObjectNode hist = j.putObject("histograms");
            ObjectNode counters = j.putObject("counters");
            ObjectNode rocks = j.putObject("rocksdb");
            for (JobProbe.Metric metric : metrics.values()) {
                String id = metric.id();
                String local = id.substring(id.indexOf('.') + 1);
                int us = local.lastIndexOf('_');
                if (id.contains("rocksdb")) {
                    // The users' column family only (the timer column families are empty; the block
                    // cache is shared by all of them).
                    if (local.startsWith(UserState.STATE_NAME + ".")) {
                        Stats.put(rocks, local.substring(local.indexOf('_') + 1), metric.sum());
                    }
                } else if (us > 0 && (local.startsWith("stepLatencyMicros") || local.startsWith("stateBytesPerUser")
                        || local.startsWith("windowLength"))) {
                    ObjectNode h = hist.has(local.substring(0, us)) ? (ObjectNode) hist.get(local.substring(0, us))
                            : hist.putObject(local.substring(0, us));
                    Stats.put(h, local.substring(us + 1), metric.avg());
                } else {
                    Stats.put(counters, local, metric.sum());
                }
            }
            ObjectNode perUser = j.putObject("rocksdb_bytes_per_user");
            rocks.fields().forEachRemaining(e -> {
                if (e.getKey().endsWith("size") && !e.getKey().startsWith("block-cache") && e.getValue().isNumber()) {
                    Stats.put(perUser, e.getKey(), e.getValue().asDouble() / users);
                }
            });
        } catch (IOException | RuntimeException e) {
            j.put("error", e.toString());
        }
        return j;
    }

    /** Checkpoints completed between the two instants, and the latest completed one, with sizes per user. */
    private ObjectNode checkpoints(JobProbe probe, long fromMillis, long toMillis, int users, long phaseZeroMillis) {
        ObjectNode c = J.objectNode();
        try {
            JsonNode all = probe.checkpoints();
            ArrayNode within = c.putArray("completed");
            long durations = 0;
            long longest = 0;
            int count = 0;
            for (JsonNode h : all.path("history")) {
                long trigger = h.path("trigger_timestamp").asLong();
                if (h.path("status").asText().equals("COMPLETED") && trigger >= fromMillis && trigger <= toMillis) {
                    ObjectNode e = within.addObject();
                    e.put("id", h.path("id").asLong());
                    e.put("triggered_at_s", Math.round((trigger - phaseZeroMillis) / 100.0) / 10.0);
                    e.put("duration_ms", h.path("end_to_end_duration").asLong());
                    e.put("state_size_bytes", h.path("state_size").asLong());
                    e.put("checkpointed_size_bytes", h.path("checkpointed_size").asLong());
                    durations += h.path("end_to_end_duration").asLong();
                    longest = Math.max(longest, h.path("end_to_end_duration").asLong());
                    count++;
                }
            }
            c.put("count", count);
            Stats.put(c, "mean_duration_ms", count == 0 ? Double.NaN : (double) durations / count);
            c.put("max_duration_ms", longest);
            JsonNode latest = all.path("latest").path("completed");
            if (!latest.isMissingNode() && !latest.isNull()) {
                ObjectNode l = c.putObject("latest");
                l.put("id", latest.path("id").asLong());
                l.put("duration_ms", latest.path("end_to_end_duration").asLong());
                l.put("state_size_bytes", latest.path("state_size").asLong());
                l.put("checkpointed_size_bytes", latest.path("checkpointed_size").asLong());
                Stats.put(l, "state_size_bytes_per_user", latest.path("state_size").asDouble() / users);
            }
            c.put("failed_total", all.path("counts").path("failed").asLong());
        } catch (IOException | RuntimeException e) {
            c.put("error", e.toString());
        }
        return c;
    }

    private String line(ObjectNode r) {
        JsonNode l = r.path("latency_ms");
        JsonNode c = r.path("cpu_us_per_event");
        JsonNode step = r.path("job_metrics").path("histograms").path("stepLatencyMicros");
        JsonNode bytes = r.path("job_metrics").path("histograms").path("stateBytesPerUser");
        return String.format(Locale.ROOT, "%-10s %-8s %,8.0f ev/s  latency p50 %s p95 %s p99 %s ms  cpu %s µs/ev (job %s)  "
                        + "step %s µs  state %s B/user  checkpoints %d",
                mode, r.path("label").asText(), r.path("events_per_s").asDouble(), l.path("p50").asText(), l.path("p95").asText(),
                l.path("p99").asText(), fmt(c.path("process")), fmt(c.path("job")), fmt(step.path("mean")), fmt(bytes.path("mean")),
                r.path("checkpoints").path("count").asInt())
                + (r.path("cores_busy_other_processes").asDouble() > DISTURBED_CORES ? String.format(Locale.ROOT,
                        "  DISTURBED: other processes used %.2f cores", r.path("cores_busy_other_processes").asDouble()) : "");
    }

    /** Other processes using more than this many cores during a measurement make it suspect (shared machine). */
    public static final double DISTURBED_CORES = 0.15;

    private static String fmt(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%,.0f", n.asDouble()) : "?";
    }

    private void createTopics(JobConfig config) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // Broker append times on both topics: the latency is the broker's append of an event to the
        // broker's append of its recommendation, whatever timestamp the producers set.
        Map<String, String> logAppendTime = Map.of("message.timestamp.type", "LogAppendTime");
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String t : List.of(config.get(JobSettings.TOPIC_INTERACTIONS), config.get(JobSettings.TOPIC_RECOMMENDATIONS),
                    config.get(JobSettings.TOPIC_DEAD_LETTERS))) {
                topics.add(new NewTopic(t, s.partitions(), (short) 1).configs(logAppendTime));
            }
            topics.add(new NewTopic(config.get(JobSettings.TOPIC_RELEASES), 1, (short) 1));
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    private static void waitTerminal(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !job.getJobStatus().get().isGloballyTerminalState()) {
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

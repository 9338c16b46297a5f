package io.collectivekv.cli;

import io.collectivekv.artifact.ArtifactFormat;
import io.collectivekv.data.UserSequences;
import io.collectivekv.export.ArtifactExport;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.kafka.EmbeddedKafka;
import io.collectivekv.job.local.InteractionReplay;
import io.collectivekv.job.local.LocalJob;
import io.collectivekv.job.local.RecommendationMonitor;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole product on one machine: an in-JVM Kafka broker (KRaft), the streaming job on a
 * MiniCluster with RocksDB state and the Flink web UI, a model (trained on the spot or reused),
 * and a replay of interactions, with live progress.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the streaming job locally: embedded Kafka + Flink MiniCluster (RocksDB, web UI) + a replay of "
                + "the synthetic stream (or --data). Stops after --events or on Ctrl-C.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--model", description = "model artifact to serve; default: train one on the data (about 30 s) and reuse it next time")
    Path model;

    @Option(names = "--events", description = "events to replay, 0 = the whole data set (default: ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--rate", description = "events per second, 0 = full speed (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--web-port", description = "port of the Flink web UI on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int webPort = 8081;

    @Option(names = "--set", description = "job setting override, key=value (repeatable; see deploy/recommender.properties)")
    Map<String, String> settings = new HashMap<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        UserSequences users = data.read();
        Path artifact = model != null ? model : defaultModel(users, out);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig config = LocalSettings.forEmbeddedKafka(kafka, artifact, settings);
            out.printf("kafka %s, model %s, cache.mode %s%n", kafka.bootstrapServers(), artifact, config.get(JobSettings.CACHE_MODE));
            out.flush();
            JobClient job = LocalJob.start(config, new Configuration(), webPort);
            out.printf("job %s running; Flink web UI on http://127.0.0.1:%d%n", job.getJobID(), webPort);
            out.flush();
            CountDownLatch cleanedUp = replay(config, kafka, users, job, out);
            kafka.close();
            cleanedUp.countDown();
        }
        return 0;
    }

    /** Replays until done or Ctrl-C; returns the latch to release once everything is closed. */
    private CountDownLatch replay(JobConfig config, EmbeddedKafka kafka, UserSequences users, JobClient job, PrintWriter out) throws Exception {
        long total = InteractionReplay.events(users).size();
        long target = events > 0 ? Math.min(events, total) : total;
        InteractionReplay replay = new InteractionReplay(users, kafka.bootstrapServers(), config.get(JobSettings.TOPIC_INTERACTIONS), target, rate);
        RecommendationMonitor monitor = new RecommendationMonitor(kafka.bootstrapServers(), config.get(JobSettings.TOPIC_RECOMMENDATIONS));
        Thread producer = new Thread(replay, "replay");
        Thread consumer = new Thread(monitor, "monitor");
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        // Ctrl-C: stop replaying, and hold the JVM until the job is cancelled and the broker closed.
        Thread hook = new Thread(() -> {
            replay.stop();
            stopped.countDown();
            try {
                cleanedUp.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        consumer.start();
        producer.start();
        long started = System.nanoTime();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("recommendations").setInitialMax(target)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).build()) {
            while (stopped.getCount() > 0 && monitor.received() < target && !job.getJobStatus().get().isGloballyTerminalState()) {
                stopped.await(1, TimeUnit.SECONDS);
                double seconds = (System.nanoTime() - started) / 1e9;
                bar.stepTo(monitor.received());
                bar.setExtraMessage(String.format(Locale.ROOT, "%.0f ev/s, latency p50 %d ms p99 %d ms",
                        monitor.received() / seconds, monitor.latencyPercentile(50), monitor.latencyPercentile(99)));
                if ((long) seconds % 5 == 0) {
                    System.err.println();
                    System.err.println("  " + monitor.sample());
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "%,d events sent, %,d recommendations in %.1f s (%.0f/s); latency p50 %d ms, p99 %d ms%n",
                replay.sent(), monitor.received(), seconds, monitor.received() / seconds,
                monitor.latencyPercentile(50), monitor.latencyPercentile(99));
        out.println("last: " + monitor.sample());
        replay.stop();
        monitor.stop();
        producer.join();
        consumer.join();
        job.cancel().get();
        out.println("job cancelled; stopping Kafka");
        out.flush();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook waits for cleanedUp, released once the broker is closed by call().
        }
        return cleanedUp;
    }

    /** A model for the data, trained once and then found under models/. */
    private Path defaultModel(UserSequences users, PrintWriter out) throws Exception {
        Path dir = Path.of("models", "run-" + Integer.toHexString(data.describe().hashCode()));
        if (Files.isRegularFile(dir.resolve(ArtifactFormat.MANIFEST))) {
            out.println("reusing model " + dir);
            return dir;
        }
        out.printf("training a model on %s (%d users); it is kept in %s for next time%n", data.describe(), users.userCount(), dir);
        out.flush();
        var trained = QuickModel.train(users, System.err);
        ArtifactExport.write(trained, dir, Map.of("data", data.describe(), "command", "ckv run"));
        return dir;
    }
}

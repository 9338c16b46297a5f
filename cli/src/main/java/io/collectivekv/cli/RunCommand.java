package io.collectivekv.cli;

import io.collectivekv.artifact.ArtifactFormat;
import io.collectivekv.data.UserSequences;
import io.collectivekv.export.ArtifactExport;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.kafka.EmbeddedKafka;
import io.collectivekv.job.local.LocalJob;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
            CountDownLatch cleanedUp = replay(config, users, job, out);
            kafka.close();
            cleanedUp.countDown();
        }
        return 0;
    }

    /** Replays until done or Ctrl-C; returns the latch to release once everything is closed. */
    private CountDownLatch replay(JobConfig config, UserSequences users, JobClient job, PrintWriter out) throws Exception {
        MonitoredReplay replay = new MonitoredReplay(users, config, events, rate);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        // Ctrl-C: stop replaying, and hold the JVM until the job is cancelled and the broker closed.
        Thread hook = new Thread(() -> {
            replay.stop();
            try {
                cleanedUp.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        MonitoredReplay.Result result = replay.run(() -> !job.getJobStatus().get().isGloballyTerminalState());
        out.println(result.summary());
        out.println("last: " + result.last());
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

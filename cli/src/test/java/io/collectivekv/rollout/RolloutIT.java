package io.collectivekv.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collectivekv.cli.CliRun;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.data.SyntheticInteractions;
import io.collectivekv.data.UserSequences;
import io.collectivekv.export.ArtifactExport;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.it.OfflineRecommender;
import io.collectivekv.job.it.TopicIO;
import io.collectivekv.job.savepoint.Savepoints;
import io.collectivekv.job.serve.UserState;
import io.collectivekv.kafka.EmbeddedKafka;
import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.SequenceModel;
import io.collectivekv.nn.Weights;
import io.collectivekv.schema.Recommendation;
import io.collectivekv.schema.RecommendedItem;
import io.collectivekv.train.TrainedModel;
import io.collectivekv.train.TrainingConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts end to end, through the command line and Flink's REST API, against a MiniCluster
 * (RocksDB, two task managers) and a real broker, with the shaded job jar submitted as on a real
 * cluster. One job lives through four phases:
 * <ol>
 *   <li>v1 serves the first events;
 *   <li>{@code rollout --reencode} to v2: no event lost, v2's answers, zero lazy rebuilds;
 *   <li>{@code rollback} to the pre-rollout savepoint: v1's answers again;
 *   <li>{@code rollout} to v2 without re-encoding: one lazy rebuild per user who sends an event.
 * </ol>
 * At the end, every user's state holds every event produced, each applied once.
 */
class RolloutIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int USERS = 6;

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static MiniCluster cluster;
    static FlinkRest flink;
    static TopicIO io;
    static Path v1;
    static Path v2;
    static List<String> vocabulary;

    /** Per user, the items sent so far, in order. */
    final Map<String, List<String>> sent = new LinkedHashMap<>();
    final List<String> eventIds = new ArrayList<>();
    final Random random = new Random(11);

    @BeforeAll
    static void start() throws Exception {
        UserSequences users = new SyntheticInteractions(200, 80, 5, 20, 3L).generate();
        ItemIndex index = ItemIndex.of(users);
        vocabulary = new ArrayList<>();
        for (int row = ItemIndex.FIRST_ITEM_ROW; row < ItemIndex.FIRST_ITEM_ROW + index.size(); row++) {
            vocabulary.add(index.externalId(row));
        }
        // Random weights: what is under test is the rollout, not the models' quality.
        v1 = export(index, 1L, "v1");
        v2 = export(index, 2L, "v2");

        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, "interactions", "recommendations", "interactions-dlq");
        kafka.createTopics(1, "model-releases");
        io = new TopicIO(kafka.bootstrapServers());

        Configuration c = new Configuration();
        c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        c.set(RestOptions.ADDRESS, "127.0.0.1");
        c.set(RestOptions.PORT, 0);
        c.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        c.set(TaskManagerOptions.HOST, "127.0.0.1");
        c.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        c.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(300));
        // The uploaded jar holds the classes this JVM already has (ONNX Runtime's natives among
        // them, which load once per JVM): resolve them here first, as one process would.
        c.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "parent-first");
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(c)
                .setNumTaskManagers(2).setNumSlotsPerTaskManager(2).build());
        cluster.start();
        flink = new FlinkRest(URI.create(cluster.getRestAddress().get().toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (io != null) {
            io.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void rolloutWithAndWithoutReencodeThenRollbackKeepEveryEventAndServeTheRightModel() throws Exception {
        JobConfig config = JobConfig.of(settings());
        JobSubmission job = new JobSubmission(Path.of(System.getProperty("ckv.job.jar")), config);
        try (OfflineRecommender one = new OfflineRecommender(v1); OfflineRecommender two = new OfflineRecommender(v2)) {
            String jobId = job.start(flink, flink.uploadJar(job.jar()), null, TIMEOUT);
            assertServedBy(one, sendRound(0, 3));

            String out = ckv("rollout", "--model", v2.toString(), "--reencode");
            String preRollout = group(out, "pre-rollout savepoint:\\s+(\\S+)");
            jobId = group(out, "job (\\S+) running");
            assertTrue(out.contains("caches to rebuild:     0 of " + USERS + " users"), out);
            assertServedBy(two, sendRound(3, 5));
            assertEquals(0, rebuilds(jobId, 2L * USERS), "re-encoded: no cache is rebuilt on the fly");

            out = ckv("rollback", "--savepoint", preRollout);
            jobId = group(out, "job (\\S+) running");
            // Events sent after the pre-rollout savepoint are read again, now served by v1.
            assertServedBy(one, sendRound(5, 6));

            out = ckv("rollout", "--model", v2.toString());
            jobId = group(out, "job (\\S+) running");
            assertTrue(out.contains("caches to rebuild:     " + USERS + " of " + USERS + " users"), out);
            assertServedBy(two, sendRound(6, 7));
            assertEquals(USERS, rebuilds(jobId, USERS), "without re-encode: one lazy rebuild per user who sent an event");

            String last = flink.stopWithSavepoint(jobId, config.get(JobSettings.CHECKPOINT_DIR), TIMEOUT);
            Map<String, UserState> states = Savepoints.userStates(last, config);
            // The offline command alone (what an operator runs between a suspend and a redeploy).
            CliRun reencoded = CliRun.of("reencode", "--savepoint", last, "--model", v1.toString(),
                    "--out", dir.resolve("reencoded").toUri().toString());
            assertEquals(0, reencoded.exitCode(), reencoded.err());
            assertTrue(reencoded.out().startsWith("re-encoded " + USERS + " users (" + 7 * USERS + " events)"), reencoded.out());
            assertTrue(reencoded.out().endsWith("caches left to rebuild: 0\n"), reencoded.out());
            assertEquals(sent.keySet(), states.keySet());
            for (Map.Entry<String, List<String>> user : sent.entrySet()) {
                UserState state = states.get(user.getKey());
                assertEquals(user.getValue().size(), state.eventCount, user.getKey() + ": every event applied once");
                assertEquals(user.getValue(), List.of(state.windowItemIds), user.getKey() + ": the window holds every event, in order");
            }
        }
        Map<String, Long> perEvent = new HashMap<>();
        recommendations(rs -> rs.stream().map(Recommendation::getTriggerEventId).toList().containsAll(eventIds))
                .forEach(r -> perEvent.merge(r.getTriggerEventId(), 1L, Long::sum));
        for (String id : eventIds) {
            assertTrue(perEvent.getOrDefault(id, 0L) >= 1, "event " + id + " got no recommendation");
        }
    }

    @Test
    void aRolloutThatCannotProceedSaysWhyAndLeavesTheRunningJobAlone() throws Exception {
        assertTrue(ckvFails("rollout", "--model", v2.toString()).contains("no running job named collectivekv-recommender"));

        JobSubmission job = new JobSubmission(Path.of(System.getProperty("ckv.job.jar")), JobConfig.of(settings()));
        String jobId = job.start(flink, flink.uploadJar(job.jar()), null, TIMEOUT);
        try {
            Path tampered = dir.resolve("v2-tampered");
            copy(v2, tampered);
            byte[] step = java.nio.file.Files.readAllBytes(tampered.resolve("step.onnx"));
            step[step.length / 2] ^= 1;
            java.nio.file.Files.write(tampered.resolve("step.onnx"), step);
            assertTrue(ckvFails("rollout", "--model", tampered.toString()).contains("step.onnx: sha256 mismatch"));
            assertTrue(ckvFails("rollout", "--model", v2.toString(), "--jar", dir.resolve("no.jar").toString()).contains("no such job jar"));
            assertTrue(ckvFails("rollback", "--savepoint", dir.resolve("no-savepoint").toUri().toString(), "--model", v1.toString())
                    .contains("no-savepoint"));
            assertEquals("RUNNING", flink.state(jobId));
            assertEquals(List.of(jobId), flink.jobs().stream().filter(j -> j.state().equals("RUNNING")).map(FlinkRest.Job::id).toList(),
                    "the same job still runs, untouched");
        } finally {
            cluster.cancelJob(org.apache.flink.api.common.JobID.fromHexString(jobId)).get();
            while (!flink.state(jobId).equals("CANCELED")) {
                Thread.sleep(100);
            }
        }
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        java.nio.file.Files.createDirectories(to);
        try (var files = java.nio.file.Files.list(from)) {
            for (Path f : files.toList()) {
                java.nio.file.Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private Map<String, String> settings() {
        Map<String, String> m = new HashMap<>();
        m.put(JobSettings.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        m.put(JobSettings.MODEL_URI.key(), v1.toString());
        m.put(JobSettings.PARALLELISM.key(), "2");
        m.put(JobSettings.CHECKPOINT_INTERVAL_MS.key(), "1000");
        m.put(JobSettings.CHECKPOINT_DIR.key(), dir.resolve("checkpoints").toUri().toString());
        return m;
    }

    /** Runs a ckv command against the cluster with the job's settings; fails the test on a non-zero exit. */
    private String ckv(String command, String... args) {
        CliRun result = run(command, args);
        assertEquals(0, result.exitCode(), command + " failed: " + result.err() + result.out());
        return result.out();
    }

    /** Runs a ckv command that must be refused with one line (exit 1); returns that line. */
    private String ckvFails(String command, String... args) {
        CliRun result = run(command, args);
        assertEquals(1, result.exitCode(), command + " should have been refused: " + result.out() + result.err());
        assertEquals(1, result.errLines().size(), "one line: " + result.err());
        System.out.print(result.err());
        return result.err();
    }

    /** A ckv command against the cluster with the job's settings (and the job jar, unless given). */
    private CliRun run(String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command, "--rest-url", flink.base().toString()));
        if (!List.of(args).contains("--jar")) {
            all.addAll(List.of("--jar", System.getProperty("ckv.job.jar")));
        }
        settings().forEach((k, v) -> all.addAll(List.of("--set", k + "=" + v)));
        all.addAll(List.of(args));
        CliRun run = CliRun.of(all.toArray(String[]::new));
        System.out.print(run.out());
        return run;
    }

    /** Sends events from..to-1 of every user (items drawn at random); returns their ids. */
    private List<String> sendRound(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int t = from; t < to; t++) {
            for (int u = 0; u < USERS; u++) {
                String user = "user-" + u;
                String item = vocabulary.get(random.nextInt(vocabulary.size()));
                String id = user + "#" + t;
                io.interaction("interactions", id, user, item);
                sent.computeIfAbsent(user, k -> new ArrayList<>()).add(item);
                ids.add(id);
            }
        }
        eventIds.addAll(ids);
        return ids;
    }

    /** Each event's newest recommendation comes from {@code model} and equals its offline answer. */
    private void assertServedBy(OfflineRecommender model, List<String> ids) {
        Map<String, Recommendation> newest = new HashMap<>();
        for (Recommendation r : recommendations(rs -> rs.stream().map(Recommendation::getTriggerEventId).toList().containsAll(ids))) {
            newest.merge(r.getTriggerEventId(), r, (a, b) -> b.getEmitTimeMillis().isAfter(a.getEmitTimeMillis()) ? b : a);
        }
        for (String id : ids) {
            Recommendation r = newest.get(id);
            assertTrue(r != null, "no recommendation for " + id);
            String user = r.getUserId();
            int t = Integer.parseInt(id.substring(id.indexOf('#') + 1));
            List<String> history = sent.get(user).subList(0, t + 1);
            assertEquals(model.version(), r.getModelVersion(), id);
            assertEquals(model.top(history, 10), r.getItems().stream().map(RecommendedItem::getItemId).toList(), id);
        }
    }

    private static List<Recommendation> recommendations(java.util.function.Predicate<List<Recommendation>> done) {
        List<Recommendation> out = new ArrayList<>();
        io.readUntil("recommendations", records -> {
            out.clear();
            records.forEach(r -> out.add(TopicIO.recommendation(r)));
            return done.test(out);
        }, TIMEOUT);
        return out;
    }

    /** The job's lazy cache rebuilds, read from its metrics once they count {@code events} events. */
    private static long rebuilds(String jobId, long events) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (flink.operatorMetricSum(jobId, "recommend", "events") < events && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return flink.operatorMetricSum(jobId, "recommend", "cacheRebuilds");
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " not in: " + text);
        return m.group(1);
    }

    private static Path export(ItemIndex index, long seed, String name) throws Exception {
        ModelConfig config = new ModelConfig(Encoder.HSTU, KvMode.COLLECTIVE, 32, 2, 2, 2, 64, 40, index.size(), 16);
        Weights weights = Weights.initialise(new SequenceModel(config, 0f).parameters(), seed);
        Path out = dir.resolve(name);
        ArtifactExport.write(new TrainedModel(config, weights, index, null, 0, 0, TrainingConfig.defaults(), Duration.ZERO), out, Map.of());
        return out;
    }
}

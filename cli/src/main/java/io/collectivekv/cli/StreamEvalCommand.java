package io.collectivekv.cli;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.data.EncodedSequences;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.data.UserSequence;
import io.collectivekv.data.UserSequences;
import io.collectivekv.eval.EvaluationCases;
import io.collectivekv.eval.EvaluationReport;
import io.collectivekv.eval.Evaluator;
import io.collectivekv.eval.LeaveOneOutSplit;
import io.collectivekv.eval.RankingMetrics;
import io.collectivekv.inference.ModelSession;
import io.collectivekv.inference.SlidingWindowScorer;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.kafka.EmbeddedKafka;
import io.collectivekv.job.local.InteractionReplay;
import io.collectivekv.job.local.LocalJob;
import io.collectivekv.job.local.TopicReader;
import io.collectivekv.schema.Recommendation;
import io.collectivekv.schema.RecommendedItem;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Streaming quality equals offline quality: replays every user's history but the last item through
 * Kafka → job → Kafka, scores the held-out item against the recommendation that the history's last
 * event triggered, and sets it beside the offline evaluation with the job's exact semantics
 * (sliding window W, the window's items excluded).
 */
@Command(name = "stream-eval", mixinStandardHelpOptions = true,
        description = "Replay a data set through the streaming job (embedded Kafka + MiniCluster) and compare its "
                + "HR@10/NDCG@10 on each user's held-out last item with the offline evaluation of the same artifact.")
final class StreamEvalCommand implements Callable<Integer> {
    private static final int K = 10;

    @Option(names = "--model", required = true, description = "model artifact (directory or .zip)")
    Path modelPath;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--users", description = "evaluate only the first N users, 0 = all (default: ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--timeout-seconds", description = "give up when no recommendation arrives for this long (default: ${DEFAULT-VALUE})")
    long timeoutSeconds = 120;

    @Option(names = "--set", description = "job setting override, key=value (repeatable)")
    Map<String, String> settings = new HashMap<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ModelArtifact artifact = ModelArtifact.open(modelPath);
        ItemIndex index = artifact.itemIndex();
        UserSequences all = data.read();
        EvaluationCases cases = LeaveOneOutSplit.of(EncodedSequences.encode(all, index)).test();
        if (users > 0) {
            cases = cases.first(users);
        }
        int window = artifact.config().window();

        EvaluationReport offline;
        try (ModelSession session = ModelSession.open(artifact, 0)) {
            offline = new Evaluator(64, 42L, window).evaluate(new SlidingWindowScorer(session), cases);
        }
        out.println(MetricsReport.format("offline, sliding window W=" + window + ", window items masked", offline));
        out.flush();

        // What the job sees: each evaluated user's history without the held-out item.
        Map<String, List<String>> histories = new LinkedHashMap<>();
        Map<String, String> targets = new HashMap<>();
        Map<String, String> lastEvent = new HashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            UserSequence u = all.get(cases.user(i));
            List<String> h = u.items().subList(0, u.items().size() - 1);
            histories.put(u.userId(), h);
            targets.put(u.userId(), u.items().get(u.items().size() - 1));
            lastEvent.put(u.userId() + "#" + (h.size() - 1), u.userId());
        }
        RankingMetrics streamed = stream(UserSequences.of(histories), targets, lastEvent, artifact, out);
        out.printf(Locale.ROOT, "streamed through Kafka → job → Kafka (%d users): HR@10 %.4f  NDCG@10 %.4f%n",
                streamed.count(), streamed.hr10(), streamed.ndcg10());
        out.printf(Locale.ROOT, "difference streamed − offline: HR@10 %+.4f  NDCG@10 %+.4f%n",
                streamed.hr10() - offline.full().hr10(), streamed.ndcg10() - offline.full().ndcg10());
        return 0;
    }

    private RankingMetrics stream(UserSequences histories, Map<String, String> targets, Map<String, String> lastEvent,
            ModelArtifact artifact, PrintWriter out) throws Exception {
        Map<String, Integer> ranks = new HashMap<>(); // by user: a re-emitted recommendation counts once
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Map<String, String> m = new HashMap<>(settings);
            m.put(JobSettings.TOP_K.key(), Integer.toString(K));
            m.putIfAbsent(JobSettings.CHECKPOINT_INTERVAL_MS.key(), "0");
            JobConfig config = LocalSettings.forEmbeddedKafka(kafka, modelPath, m);
            JobClient job = LocalJob.start(config, new Configuration(), -1);
            InteractionReplay replay = new InteractionReplay(histories, kafka.bootstrapServers(),
                    config.get(JobSettings.TOPIC_INTERACTIONS), 0, 0);
            Thread producer = new Thread(replay, "replay");
            producer.start();
            long events = InteractionReplay.events(histories).size();
            out.printf("replaying %,d events of %,d users (model %s, cache.mode %s)%n", events, histories.userCount(),
                    artifact.modelVersion(), config.get(JobSettings.CACHE_MODE));
            out.flush();
            long started = System.nanoTime();
            try (KafkaConsumer<byte[], byte[]> consumer = TopicReader.fromStart(kafka.bootstrapServers(), config.get(JobSettings.TOPIC_RECOMMENDATIONS), "stream-eval");
                    ProgressBar bar = new ProgressBarBuilder().setTaskName("recommendations").setInitialMax(events)
                            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).build()) {
                long received = 0;
                long lastArrival = System.nanoTime();
                while (ranks.size() < lastEvent.size()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        received++;
                        lastArrival = System.nanoTime();
                        Recommendation rec = Recommendation.fromByteBuffer(ByteBuffer.wrap(r.value()));
                        String user = lastEvent.get(rec.getTriggerEventId());
                        if (user != null) {
                            ranks.put(user, rankOf(targets.get(user), rec));
                        }
                    }
                    bar.stepTo(received);
                    if (System.nanoTime() - lastArrival > Duration.ofSeconds(timeoutSeconds).toNanos()) {
                        throw new IllegalStateException("no recommendation for " + timeoutSeconds + " s; " + ranks.size()
                                + " of " + lastEvent.size() + " users scored");
                    }
                    if (job.getJobStatus().get().isGloballyTerminalState()) {
                        throw new IllegalStateException("the job stopped: " + job.getJobStatus().get());
                    }
                }
            }
            out.printf(Locale.ROOT, "streamed %,d events in %.1f s%n", events, (System.nanoTime() - started) / 1e9);
            producer.join();
            job.cancel().get();
        }
        RankingMetrics metrics = new RankingMetrics();
        ranks.values().forEach(metrics::add);
        return metrics;
    }

    /** The target's 0-based rank in the emitted top-K; beyond every cut-off when it is not there (a miss). */
    private static int rankOf(String target, Recommendation rec) {
        List<RecommendedItem> items = rec.getItems();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).getItemId().equals(target)) {
                return i;
            }
        }
        return Integer.MAX_VALUE / 2;
    }
}

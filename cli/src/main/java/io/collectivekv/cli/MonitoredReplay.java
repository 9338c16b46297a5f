package io.collectivekv.cli;

import io.collectivekv.data.UserSequences;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.local.InteractionReplay;
import io.collectivekv.job.local.RecommendationMonitor;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A replay of interactions into the job's Kafka topic while its recommendations are followed, with
 * a progress bar: what {@code ckv run} (embedded stack) and {@code ckv replay} (a running cluster)
 * both do once the job runs.
 */
final class MonitoredReplay {
    private final InteractionReplay replay;
    private final RecommendationMonitor monitor;
    private final long target;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * @param config the job's settings: its brokers and the interactions and recommendations topics
     * @param events events to replay, ≤ 0 = the whole data set
     * @param rate   events per second, ≤ 0 = full speed
     */
    MonitoredReplay(UserSequences users, JobConfig config, long events, double rate) {
        long total = InteractionReplay.events(users).size();
        target = events > 0 ? Math.min(events, total) : total;
        String bootstrap = config.get(JobSettings.BOOTSTRAP_SERVERS);
        replay = new InteractionReplay(users, bootstrap, config.get(JobSettings.TOPIC_INTERACTIONS), target, rate);
        monitor = new RecommendationMonitor(bootstrap, config.get(JobSettings.TOPIC_RECOMMENDATIONS));
    }

    /** Recommendations seen so far. */
    long received() {
        return monitor.received();
    }

    /** Stops replaying and makes {@link #run} return; safe to call from a shutdown hook. */
    void stop() {
        replay.stop();
        stopped.countDown();
    }

    /**
     * Replays and follows until every event has its recommendation, {@link #stop} is called, or
     * {@code keepWaiting} (asked once a second) says no.
     *
     * @throws IOException if producing or consuming failed (broker gone, ...)
     */
    Result run(Callable<Boolean> keepWaiting) throws Exception {
        Thread producer = worker(replay, "replay");
        Thread consumer = worker(monitor, "monitor");
        consumer.start();
        producer.start();
        long started = System.nanoTime();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("recommendations").setInitialMax(target)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).build()) {
            while (stopped.getCount() > 0 && received() < target && keepWaiting.call()) {
                stopped.await(1, TimeUnit.SECONDS);
                double seconds = (System.nanoTime() - started) / 1e9;
                bar.stepTo(received());
                bar.setExtraMessage(String.format(Locale.ROOT, "%.0f ev/s, latency p50 %d ms p99 %d ms",
                        received() / seconds, monitor.latencyPercentile(50), monitor.latencyPercentile(99)));
                if ((long) seconds % 5 == 0) {
                    System.err.println();
                    System.err.println("  " + monitor.sample());
                }
            }
        } finally {
            replay.stop();
            monitor.stop();
            producer.join();
            consumer.join();
        }
        Throwable failed = failure.get();
        if (failed != null) {
            throw new IOException("replay failed: " + failed.getClass().getSimpleName() + ": " + failed.getMessage(), failed);
        }
        return new Result(replay.sent(), received(), monitor.duplicates(), (System.nanoTime() - started) / 1e9,
                monitor.latencyPercentile(50), monitor.latencyPercentile(99), monitor.sample());
    }

    /** A thread whose failure ends the replay instead of dying alone with a stack trace. */
    private Thread worker(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setUncaughtExceptionHandler((thread, e) -> {
            failure.compareAndSet(null, e);
            stop();
        });
        return t;
    }

    /** What a replay achieved; latencies are event time → emit time of the latest recommendations. */
    /**
     * @param recommendations events that got a recommendation
     * @param duplicates      recommendations beyond the first for their event (at-least-once redeliveries)
     */
    record Result(long sent, long recommendations, long duplicates, double seconds, long p50Millis, long p99Millis, String last) {
        /** Sent events without a recommendation. */
        long missing() {
            return Math.max(0, sent - recommendations);
        }

        String summary() {
            return String.format(Locale.ROOT, "%,d events sent, %,d recommendations in %.1f s (%.0f/s); latency p50 %d ms, p99 %d ms%s",
                    sent, recommendations, seconds, recommendations / seconds, p50Millis, p99Millis,
                    duplicates > 0 ? String.format(Locale.ROOT, "; %,d redelivered", duplicates) : "");
        }
    }
}

package io.collectivekv.cli;

import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.local.InteractionReplay;
import io.collectivekv.job.local.TopicReader;
import io.collectivekv.job.savepoint.Savepoints;
import io.collectivekv.job.serve.UserState;
import io.collectivekv.rollout.FlinkRest;
import io.collectivekv.schema.Recommendation;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Checks a running job against what a replay produced: every user's event count and window in
 * state (from a fresh savepoint), and the recommendations a read_committed consumer sees.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "After `ckv replay` (same data and --events): take a savepoint of the running job and compare every "
                + "user's event count and window with what was produced (nothing lost, nothing applied twice), and count the "
                + "recommendations per event a read_committed consumer sees (missing, duplicates), the dead letters and the "
                + "failures the job recovered from. Exits 1 if an event is lost or applied twice, or (--exactly-once) emitted twice.")
final class AuditCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--events", description = "events the replay sent, 0 = the whole data set (default: ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--exactly-once", description = "fail on a duplicate recommendation too (the job runs sink.delivery=exactly-once)")
    boolean exactlyOnce;

    @Option(names = "--idle", description = "seconds without a new record before a topic counts as read (default: ${DEFAULT-VALUE})")
    long idleSeconds = 5;

    @Option(names = "--timeout", description = "seconds to wait for every event's recommendation (default: ${DEFAULT-VALUE})")
    long timeoutSeconds = 180;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        JobConfig config = cluster.config();
        List<String[]> produced = InteractionReplay.events(data.read());
        if (events > 0 && events < produced.size()) {
            produced = produced.subList(0, (int) events);
        }
        Map<String, List<String>> itemsByUser = new LinkedHashMap<>();
        for (String[] e : produced) {
            itemsByUser.computeIfAbsent(e[1], k -> new ArrayList<>()).add(e[2]);
        }

        Map<String, Long> perEvent = new HashMap<>();
        String bootstrap = config.get(JobSettings.BOOTSTRAP_SERVERS);
        long answerable = produced.size();
        // Until every event is answered (a job still recovering is still answering), then until quiet.
        long emitted = readAll(bootstrap, config.get(JobSettings.TOPIC_RECOMMENDATIONS),
                r -> perEvent.merge(triggerEventId(r), 1L, Long::sum), () -> perEvent.size() >= answerable);
        long deadLetters = readAll(bootstrap, config.get(JobSettings.TOPIC_DEAD_LETTERS), r -> { }, () -> true);
        long missing = produced.stream().filter(e -> !perEvent.containsKey(e[0])).count();
        long duplicates = perEvent.values().stream().mapToLong(n -> n - 1).sum();

        FlinkRest flink = cluster.flink();
        String jobId = cluster.jobId != null ? cluster.jobId : flink.jobs().stream()
                .filter(j -> j.state().equals("RUNNING") && j.name().equals(io.collectivekv.rollout.JobSubmission.JOB_NAME))
                .map(FlinkRest.Job::id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no running job to audit at " + cluster.restUrl));
        flink.awaitRunning(jobId, Duration.ofMinutes(5));
        String savepoint = flink.triggerSavepoint(jobId, cluster.savepointDir(), Duration.ofMinutes(5));
        Map<String, UserState> states = Savepoints.userStates(savepoint, config);
        long failures = flink.failures(jobId);

        int window = states.values().stream().mapToInt(s -> s.windowItemIds.length).max().orElse(0);
        long applied = 0;
        long lost = 0;
        long doubled = 0;
        long wrongWindows = 0;
        for (Map.Entry<String, List<String>> user : itemsByUser.entrySet()) {
            UserState state = states.get(user.getKey());
            long count = state == null ? 0 : state.eventCount;
            applied += count;
            lost += Math.max(0, user.getValue().size() - count);
            doubled += Math.max(0, count - user.getValue().size());
            List<String> items = user.getValue();
            List<String> expected = items.subList(Math.max(0, items.size() - window), items.size());
            if (state != null && !expected.equals(List.of(state.windowItemIds))) {
                wrongWindows++;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "produced %,d events of %,d users; in state %,d (lost %,d, applied twice %,d, windows differing %,d); "
                        + "recommendations %,d (events without one %,d, duplicates %,d); dead letters %,d; failures recovered from %d; savepoint %s%n",
                produced.size(), itemsByUser.size(), applied, lost, doubled, wrongWindows, emitted, missing, duplicates,
                deadLetters, failures, savepoint);
        out.flush();
        boolean ok = lost == 0 && doubled == 0 && wrongWindows == 0 && missing == 0 && (!exactlyOnce || duplicates == 0);
        return ok ? 0 : 1;
    }

    private static String triggerEventId(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Recommendation.fromByteBuffer(ByteBuffer.wrap(r.value())).getTriggerEventId();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("recommendation at offset " + r.offset() + " of partition " + r.partition()
                    + ": not a Recommendation (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads a topic from its start (read_committed) until {@code complete} holds and nothing new has
     * arrived for --idle seconds, or --timeout passes; returns the count.
     */
    private long readAll(String bootstrap, String topic, Consumer<ConsumerRecord<byte[], byte[]>> each, BooleanSupplier complete) {
        long count = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = TopicReader.fromStart(bootstrap, topic, "ckv-audit")) {
            long idleSince = System.nanoTime();
            while (System.nanoTime() < deadline
                    && (!complete.getAsBoolean() || System.nanoTime() - idleSince < Duration.ofSeconds(idleSeconds).toNanos())) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    each.accept(r);
                    count++;
                    idleSince = System.nanoTime();
                }
            }
        }
        return count;
    }
}

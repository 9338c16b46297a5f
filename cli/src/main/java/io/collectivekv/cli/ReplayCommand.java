package io.collectivekv.cli;

import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Drives a job that already runs on a cluster: replays interactions into its Kafka and checks
 * that every event got its recommendation, with the throughput and latency it saw.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay interactions (the synthetic stream or --data) into the Kafka of a running job and wait until "
                + "every event has its recommendation. Exits 1 if some never arrive. Needs fresh topics (ckv topics) and a "
                + "fresh job: it counts every record of the recommendations topic, and the job drops events it has seen.")
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", description = "Kafka brokers of the job (default: ${DEFAULT-VALUE})")
    String bootstrapServers = "127.0.0.1:9092";

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--events", description = "events to replay, 0 = the whole data set (default: ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--rate", description = "events per second, 0 = full speed (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--timeout", description = "seconds to wait for Kafka's answers, and for the next recommendation "
            + "before giving up (default: ${DEFAULT-VALUE})")
    long timeoutSeconds = 60;

    @Option(names = "--set", description = "job setting override, key=value (repeatable; the topic.* names, see deploy/recommender.properties)")
    Map<String, String> settings = new HashMap<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 s, got " + timeoutSeconds);
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        Map<String, String> m = new HashMap<>(settings);
        m.put(JobSettings.BOOTSTRAP_SERVERS.key(), bootstrapServers);
        JobConfig config = JobConfig.of(m);
        requireFreshTopics(config, timeout);
        MonitoredReplay replay = new MonitoredReplay(data.read(), config, events, rate);
        MonitoredReplay.Result result = replay.run(new UntilIdle(replay::received, timeout));
        PrintWriter out = spec.commandLine().getOut();
        out.println(result.summary());
        out.flush();
        if (result.missing() > 0) {
            spec.commandLine().getErr().printf("ckv: %,d of %,d events got no recommendation (none arrived for %d s)%n",
                    result.missing(), result.sent(), timeoutSeconds);
            return 1;
        }
        return 0;
    }

    /** Both topics exist, and no recommendation is there yet that the monitor would count as ours. */
    private void requireFreshTopics(JobConfig config, Duration timeout) throws IOException {
        String interactions = config.get(JobSettings.TOPIC_INTERACTIONS);
        String recommendations = config.get(JobSettings.TOPIC_RECOMMENDATIONS);
        try (Admin admin = TopicsCommand.admin(bootstrapServers, timeout)) {
            TopicDescription topic = TopicsCommand.describe(admin, List.of(interactions, recommendations), bootstrapServers, timeout)
                    .get(recommendations);
            long records = offsets(admin, topic, OffsetSpec.latest(), timeout) - offsets(admin, topic, OffsetSpec.earliest(), timeout);
            if (records > 0) {
                throw new IllegalArgumentException(String.format("topic '%s' on %s already holds %,d records: replay checks a "
                        + "fresh job on fresh topics (ckv topics)", recommendations, bootstrapServers, records));
            }
        }
    }

    /** Sum over the topic's partitions of the offsets {@code spec} names. */
    private long offsets(Admin admin, TopicDescription topic, OffsetSpec spec, Duration timeout) throws IOException {
        Map<TopicPartition, OffsetSpec> request = topic.partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic.name(), p.partition()), p -> spec));
        Map<TopicPartition, ListOffsetsResultInfo> offsets = TopicsCommand.await(admin.listOffsets(request).all(), bootstrapServers, timeout);
        return offsets.values().stream().mapToLong(ListOffsetsResultInfo::offset).sum();
    }

    /** Keeps waiting while the count moves at least once per timeout. */
    private static final class UntilIdle implements Callable<Boolean> {
        private final LongSupplier count;
        private final long timeoutNanos;
        private long last = -1;
        private long lastChange;

        UntilIdle(LongSupplier count, Duration timeout) {
            this.count = count;
            this.timeoutNanos = timeout.toNanos();
        }

        @Override
        public Boolean call() {
            long now = System.nanoTime();
            long current = count.getAsLong();
            if (current != last) {
                last = current;
                lastChange = now;
            }
            return now - lastChange < timeoutNanos;
        }
    }
}

package io.collectivekv.cli;

import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Creates the job's topics on a running Kafka (a cluster's, not the embedded one {@code ckv run}
 * starts). Also the Admin-client helpers {@code ckv replay} checks the topics with.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create the job's four topics on a running Kafka (model releases with one partition, replication "
                + "factor: the broker's default). Topics that already exist are left as they are.")
final class TopicsCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Option(names = "--bootstrap-servers", description = "Kafka brokers (default: ${DEFAULT-VALUE})")
    String bootstrapServers = "127.0.0.1:9092";

    @Option(names = "--partitions", description = "partitions of the interactions, recommendations and dead-letter topics (default: ${DEFAULT-VALUE})")
    int partitions = 2;

    @Option(names = "--set", description = "job setting override, key=value (repeatable; the topic.* names, see deploy/recommender.properties)")
    Map<String, String> settings = new HashMap<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
        JobConfig config = JobConfig.of(settings);
        Map<String, Integer> wanted = new LinkedHashMap<>();
        wanted.put(config.get(JobSettings.TOPIC_INTERACTIONS), partitions);
        // Releases are broadcast to every subtask; one partition keeps them in release order.
        wanted.put(config.get(JobSettings.TOPIC_RELEASES), 1);
        wanted.put(config.get(JobSettings.TOPIC_RECOMMENDATIONS), partitions);
        wanted.put(config.get(JobSettings.TOPIC_DEAD_LETTERS), partitions);
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = admin(bootstrapServers, TIMEOUT)) {
            Set<String> existing = createMissing(admin, wanted);
            Map<String, TopicDescription> described = describe(admin, existing, bootstrapServers, TIMEOUT);
            wanted.forEach((name, asked) -> out.printf("%s: %s, %d partition(s)%n", name, existing.contains(name) ? "exists" : "created",
                    existing.contains(name) ? described.get(name).partitions().size() : asked));
        }
        return 0;
    }

    /** Creates the topics that are not there yet; returns those that were. */
    private Set<String> createMissing(Admin admin, Map<String, Integer> wanted) throws IOException {
        Set<String> existing = new LinkedHashSet<>();
        var results = admin.createTopics(wanted.entrySet().stream()
                .map(t -> new NewTopic(t.getKey(), Optional.of(t.getValue()), Optional.empty())).toList()).values();
        for (var r : results.entrySet()) {
            try {
                await(r.getValue(), bootstrapServers, TIMEOUT);
            } catch (TopicExistsException alreadyThere) {
                existing.add(r.getKey());
            }
        }
        return existing;
    }

    /**
     * An Admin client whose calls give up after {@code timeout} rather than Kafka's default minute.
     * A broker that is not there at all is one line at once, instead of a minute of the client's
     * reconnect warnings.
     */
    static Admin admin(String bootstrapServers, Duration timeout) throws IOException {
        requireReachable(bootstrapServers);
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return Admin.create(p);
    }

    private static void requireReachable(String bootstrapServers) throws IOException {
        IOException refused = null;
        for (String server : bootstrapServers.split(",")) {
            String host = Utils.getHost(server.trim());
            Integer port = Utils.getPort(server.trim());
            if (host == null || port == null) {
                throw new IllegalArgumentException("'" + server + "' is not a host:port address (--bootstrap-servers)");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 5000);
                return;
            } catch (IOException e) {
                refused = e;
            }
        }
        throw new IOException("cannot connect to Kafka at " + bootstrapServers + ": " + refused.getMessage(), refused);
    }

    /** The named topics' descriptions; a missing topic is a one-line error that says how to create it. */
    static Map<String, TopicDescription> describe(Admin admin, Collection<String> names, String bootstrapServers, Duration timeout)
            throws IOException {
        Map<String, TopicDescription> topics = new HashMap<>();
        for (var d : admin.describeTopics(names).topicNameValues().entrySet()) {
            try {
                topics.put(d.getKey(), await(d.getValue(), bootstrapServers, timeout));
            } catch (UnknownTopicOrPartitionException e) {
                throw new IllegalArgumentException("topic '" + d.getKey() + "' does not exist on " + bootstrapServers
                        + " (create the job's topics with 'ckv topics')", e);
            }
        }
        return topics;
    }

    /**
     * The future's value. The answers callers handle themselves (topic exists, unknown topic) come
     * back unwrapped; every other failure becomes a one-line IOException naming the brokers.
     */
    static <T> T await(KafkaFuture<T> future, String bootstrapServers, Duration timeout) throws IOException {
        try {
            return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TopicExistsException || cause instanceof UnknownTopicOrPartitionException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof TimeoutException) {
                throw new IOException("no answer from Kafka at " + bootstrapServers + " within " + timeout.toSeconds() + " s", cause);
            }
            throw new IOException("Kafka at " + bootstrapServers + ": " + cause.getMessage(), cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("no answer from Kafka at " + bootstrapServers + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for Kafka at " + bootstrapServers, e);
        }
    }
}

package io.collectivekv.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.PreboundSocketFactoryManager;
import org.apache.kafka.common.test.TestKitNode;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) inside this JVM, built on
 * Kafka's own {@link KafkaClusterTestKit}. Used by the local launcher and by integration tests.
 *
 * <ul>
 *   <li>listens on {@code 127.0.0.1} only (ephemeral ports), never on the wildcard address;</li>
 *   <li>keeps its data in a fresh temp directory under {@code java.io.tmpdir}, deleted by
 *       {@link #close()};</li>
 *   <li>is configured for Flink's exactly-once Kafka sink (transactions with replication factor
 *       1, a 15 min maximum transaction timeout), no rebalance delay, no automatic topic
 *       creation, and 4 MB messages.</li>
 * </ul>
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     kafka.createTopics(4, "events", "recommendations");
 *     String bootstrap = kafka.bootstrapServers();   // "127.0.0.1:<port>"
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** The only address the broker binds to and advertises. */
    public static final String HOST = "127.0.0.1";

    /** Largest record batch the broker (and its topics) accept. */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    /** The broker's maximum transaction timeout (15 min); Flink's sink must stay at or below it. */
    public static final int MAX_TRANSACTION_TIMEOUT_MS = 900_000;

    private static final long ADMIN_TIMEOUT_MS = 30_000;

    private final KafkaClusterTestKit cluster;
    private final Path baseDir;
    private final String bootstrapServers;
    private final Object lock = new Object();
    private Admin admin;
    private boolean closed;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Path baseDir, String bootstrapServers) {
        this.cluster = cluster;
        this.baseDir = baseDir;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker with the default settings (see {@link #defaultBrokerProperties()}). */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker with the default settings overridden (or extended) by {@code overrides}
     * (broker configuration keys, e.g. {@code "log.retention.ms"}). The listener settings cannot be
     * overridden: the broker always binds to 127.0.0.1 on ephemeral ports.
     *
     * @throws IllegalStateException with a one-line message if the broker cannot start
     */
    public static EmbeddedKafka start(Map<String, ?> overrides) {
        Objects.requireNonNull(overrides, "overrides");
        long t0 = System.nanoTime();
        Path baseDir = null;
        KafkaClusterTestKit cluster = null;
        PreboundSocketFactoryManager sockets = null;
        Map<Integer, Map<String, ServerSocketChannel>> boundSockets = null;
        String step = "create the data directory";
        try {
            baseDir = Files.createTempDirectory("embedded-kafka-");

            step = "configure the broker";
            TestKitNodes.Builder nodesBuilder = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(baseDir);
            Map<String, Short> features = useProductionFeatures(nodesBuilder);
            TestKitNodes draft = nodesBuilder.build(); // node ids and listener names
            String brokerListener = draft.brokerListenerName().value();
            String controllerListener = draft.controllerListenerName().value();

            step = "bind 127.0.0.1";
            Map<Integer, Map<String, ServerSocketChannel>> loopback = bindLoopback(draft, brokerListener, controllerListener);
            boundSockets = loopback;
            // The controller quorum addresses: 127.0.0.1 too (the test kit writes "localhost").
            String voters = draft.controllerNodes().keySet().stream()
                    .map(id -> id + "@" + HOST + ":" + port(loopback.get(id).get(controllerListener)))
                    .collect(Collectors.joining(","));
            String quorumBootstrap = draft.controllerNodes().keySet().stream()
                    .map(id -> HOST + ":" + port(loopback.get(id).get(controllerListener)))
                    .collect(Collectors.joining(","));
            Map<Integer, Map<String, String>> perServer = new HashMap<>();
            for (Integer id : draft.controllerNodes().keySet()) {
                perServer.computeIfAbsent(id, k -> new HashMap<>()).putAll(Map.of(
                        "controller.quorum.voters", voters,
                        "controller.quorum.bootstrap.servers", quorumBootstrap));
            }
            for (Integer id : draft.brokerNodes().keySet()) {
                perServer.computeIfAbsent(id, k -> new HashMap<>()).putAll(Map.of(
                        "controller.quorum.voters", voters,
                        "controller.quorum.bootstrap.servers", quorumBootstrap));
            }
            TestKitNodes nodes = nodesBuilder.setPerServerProperties(perServer).build();

            step = "configure the broker";
            Map<String, Object> props = new LinkedHashMap<>(defaultBrokerProperties());
            overrides.forEach((k, v) -> props.put(k, String.valueOf(v)));
            // Loopback only: advertised as 127.0.0.1 (the test kit would say "localhost").
            props.put("listeners", brokerListener + "://" + HOST + ":0," + controllerListener + "://" + HOST + ":0");
            props.remove("advertised.listeners");

            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
            props.forEach(builder::setConfigProp);
            // Hand our 127.0.0.1 sockets to the test kit, which would otherwise bind the wildcard.
            socketsOf(socketManagerOf(builder)).putAll(loopback);
            boundSockets = null; // owned by the test kit from now on (closed by its close())
            sockets = socketManagerOf(builder);

            step = "build the broker";
            long t1 = System.nanoTime();
            cluster = builder.build();
            step = "format the log directories";
            long t2 = System.nanoTime();
            formatQuietly(cluster);
            step = "start the broker";
            long t3 = System.nanoTime();
            cluster.startup();
            step = "wait for the broker to become ready";
            cluster.waitForReadyBrokers();
            long t4 = System.nanoTime();
            LOG.debug("Embedded Kafka start phases (ms): configure {}, build {}, format {}, startup {}",
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);

            String bootstrap = cluster.brokers().values().stream()
                    .map(b -> HOST + ":" + b.boundPort(ListenerName.normalised(brokerListener)))
                    .collect(Collectors.joining(","));
            EmbeddedKafka kafka = new EmbeddedKafka(cluster, baseDir, bootstrap);
            LOG.info("Embedded Kafka {} (KRaft, 1 node) ready at {} in {} ms; data in {}",
                    kafkaVersion(), bootstrap, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), baseDir);
            LOG.debug("Embedded Kafka features: {}", features);
            return kafka;
        } catch (Exception | LinkageError e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (cluster != null) {
                closeQuietly(cluster);
            } else if (sockets != null) {
                closeQuietly(sockets);
            } else if (boundSockets != null) {
                boundSockets.values().forEach(m -> m.values().forEach(EmbeddedKafka::closeQuietly));
            }
            if (baseDir != null) {
                deleteRecursively(baseDir);
            }
            throw new IllegalStateException("Embedded Kafka failed to " + step + ": " + oneLine(e), e);
        }
    }

    /**
     * The defaults: single-node replication everywhere, exactly-once ready, no topic auto-creation,
     * 4 MB messages, no initial rebalance delay, small internal topics (fast first transaction).
     */
    public static Map<String, String> defaultBrokerProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        // transactions (Flink's exactly-once sink)
        p.put("transaction.max.timeout.ms", String.valueOf(MAX_TRANSACTION_TIMEOUT_MS));
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        // consumer groups
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // topics: the job names (and creates) its topics
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // large records (1 MB+)
        p.put("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        p.put("replica.fetch.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        p.put("socket.request.max.bytes", String.valueOf(4 * MAX_MESSAGE_BYTES));
        // behave like a released broker, not like Kafka's own test suite
        p.put("unstable.api.versions.enable", "false");
        p.put("unstable.feature.versions.enable", "false");
        return p;
    }

    /** {@code 127.0.0.1:<port>}: the address for producers, consumers and admin clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker's data directory (deleted by {@link #close()}). */
    public Path dataDirectory() {
        return baseDir;
    }

    /**
     * Client properties with {@code bootstrap.servers} set; handy for tests and the launcher.
     */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /**
     * Creates the named topics with {@code partitions} partitions each (replication factor 1).
     * Topics that already exist are left as they are (whatever their partition count). Returns
     * when the topics are created and their metadata has reached the broker.
     *
     * @throws IllegalStateException if a topic cannot be created
     */
    public void createTopics(int partitions, String... names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        Set<String> unique = new LinkedHashSet<>(Arrays.asList(names));
        if (unique.isEmpty()) {
            return;
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String name : unique) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("blank topic name in " + Arrays.toString(names));
            }
            topics.add(new NewTopic(name, partitions, (short) 1)
                    .configs(Map.of("max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES))));
        }
        Admin a = admin();
        Map<String, ? extends java.util.concurrent.Future<Void>> results = a.createTopics(topics).values();
        List<String> created = new ArrayList<>();
        for (Map.Entry<String, ? extends java.util.concurrent.Future<Void>> r : results.entrySet()) {
            try {
                r.getValue().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                created.add(r.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Embedded Kafka could not create topic '" + r.getKey()
                            + "': " + oneLine(e.getCause()), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while creating topic '" + r.getKey() + "'", e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("Embedded Kafka: creating topic '" + r.getKey()
                        + "' timed out after " + ADMIN_TIMEOUT_MS + " ms", e);
            }
        }
        awaitTopicsVisible(unique);
        if (!created.isEmpty()) {
            LOG.info("Created topics {} ({} partitions each)", created, partitions);
        }
    }

    /**
     * Kafka's storage formatter prints its report ("Formatting metadata directory ...") to
     * System.out, which would land in the middle of a command's output; keep it in the debug log.
     */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream report = new java.io.ByteArrayOutputStream();
        synchronized (System.class) {
            System.setOut(new java.io.PrintStream(report, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                cluster.format();
            } finally {
                System.setOut(stdout);
            }
        }
        LOG.debug("storage format: {}", report.toString(java.nio.charset.StandardCharsets.UTF_8).trim());
    }

    /** Shuts the broker down and deletes its data directory. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (admin != null) {
                admin.close(java.time.Duration.ofSeconds(5));
                admin = null;
            }
        }
        long t0 = System.nanoTime();
        Exception failure = null;
        try {
            cluster.close();
        } catch (Exception e) {
            failure = e;
        } finally {
            deleteRecursively(baseDir);
        }
        if (failure != null) {
            LOG.warn("Embedded Kafka at {} did not shut down cleanly: {}", bootstrapServers, oneLine(failure));
        } else {
            LOG.info("Embedded Kafka at {} stopped in {} ms", bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------------------

    private Admin admin() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("Embedded Kafka is closed");
            }
            if (admin == null) {
                Properties p = clientProperties();
                p.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-admin");
                admin = Admin.create(p);
            }
            return admin;
        }
    }

    /** Waits until the broker's metadata knows every topic with a leader for each partition. */
    private void awaitTopicsVisible(Set<String> topics) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ADMIN_TIMEOUT_MS);
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                Map<String, TopicDescription> d = admin().describeTopics(topics).allTopicNames()
                        .get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                boolean ready = d.size() == topics.size() && d.values().stream()
                        .allMatch(t -> !t.partitions().isEmpty()
                                && t.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                last = e.getCause(); // UnknownTopicOrPartition until the metadata arrives
            } catch (java.util.concurrent.TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + topics, e);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topics " + topics, e);
            }
        }
        throw new IllegalStateException("Embedded Kafka: topics " + topics + " not ready after "
                + ADMIN_TIMEOUT_MS + " ms" + (last == null ? "" : ": " + oneLine(last)));
    }

    /**
     * Bootstraps the cluster the way {@code kafka-storage format} does for this release: the latest
     * <em>production</em> metadata version and every production feature at its default level for it
     * (transaction.version, group.version, ...). The test kit's own default is the latest
     * <em>testing</em> metadata version, and its {@code setBootstrapMetadataVersion} drops all
     * feature levels but metadata.version. By reflection: {@code MetadataVersion}, {@code Feature}
     * and {@code BootstrapMetadata} live in jars that kafka_2.13 brings at runtime scope only.
     *
     * @return the finalized feature levels, for the log
     */
    private static Map<String, Short> useProductionFeatures(TestKitNodes.Builder builder) throws ReflectiveOperationException {
        Class<?> mvClass = Class.forName("org.apache.kafka.server.common.MetadataVersion");
        Class<?> featureClass = Class.forName("org.apache.kafka.server.common.Feature");
        Class<?> bootstrapClass = Class.forName("org.apache.kafka.metadata.bootstrap.BootstrapMetadata");
        Object mv = mvClass.getMethod("latestProduction").invoke(null);
        Map<String, Short> levels = new java.util.TreeMap<>();
        for (Object feature : (List<?>) featureClass.getField("PRODUCTION_FEATURES").get(null)) {
            String name = (String) featureClass.getMethod("featureName").invoke(feature);
            short level = (Short) featureClass.getMethod("defaultLevel", mvClass).invoke(feature, mv);
            // kraft.version is not a bootstrap record (static controller.quorum.voters: level 0)
            if (!"kraft.version".equals(name) && level > 0) {
                levels.put(name, level);
            }
        }
        Object bootstrap = bootstrapClass.getMethod("fromVersions", mvClass, Map.class, String.class)
                .invoke(null, mv, levels, "embedded-kafka");
        TestKitNodes.Builder.class.getMethod("setBootstrapMetadata", bootstrapClass).invoke(builder, bootstrap);
        Map<String, Short> all = new java.util.TreeMap<>(levels);
        all.put("metadata.version", (Short) mvClass.getMethod("featureLevel").invoke(mv));
        return all;
    }

    /**
     * The test kit pre-binds each listener's socket on the wildcard address (0.0.0.0 / ::) to learn
     * its port before the node starts, then hands that very socket to the node, whatever host the
     * {@code listeners} setting names. We bind those sockets ourselves on 127.0.0.1 and put them
     * where the test kit looks first (same mechanism, loopback only).
     */
    private static Map<Integer, Map<String, ServerSocketChannel>> bindLoopback(
            TestKitNodes nodes, String brokerListener, String controllerListener) throws IOException {
        Map<Integer, Map<String, ServerSocketChannel>> sockets = new HashMap<>();
        InetAddress loopback = InetAddress.getByName(HOST);
        try {
            for (TestKitNode node : nodes.controllerNodes().values()) {
                bind(sockets, node.id(), controllerListener, loopback);
            }
            for (TestKitNode node : nodes.brokerNodes().values()) {
                bind(sockets, node.id(), brokerListener, loopback);
            }
        } catch (IOException | RuntimeException e) {
            sockets.values().forEach(m -> m.values().forEach(EmbeddedKafka::closeQuietly));
            throw e;
        }
        return sockets;
    }

    private static void bind(Map<Integer, Map<String, ServerSocketChannel>> sockets, int nodeId,
                             String listener, InetAddress address) throws IOException {
        Map<String, ServerSocketChannel> forNode = sockets.computeIfAbsent(nodeId, k -> new HashMap<>());
        if (forNode.containsKey(listener)) {
            return;
        }
        // as Kafka's own ServerSocketFactory does: the acceptor needs a non-blocking channel
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress(address, 0));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        forNode.put(listener, channel);
    }

    private static int port(ServerSocketChannel channel) {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PreboundSocketFactoryManager socketManagerOf(KafkaClusterTestKit.Builder builder) {
        return (PreboundSocketFactoryManager) readField(builder, "socketFactoryManager");
    }

    @SuppressWarnings("unchecked")
    private static Map<Integer, Map<String, ServerSocketChannel>> socketsOf(PreboundSocketFactoryManager manager) {
        return (Map<Integer, Map<String, ServerSocketChannel>>) readField(manager, "sockets");
    }

    private static Object readField(Object target, String name) {
        try {
            Field f = target.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this Kafka test kit has no field " + target.getClass().getSimpleName()
                    + "." + name + " (Kafka version changed?)", e);
        }
    }

    private static String kafkaVersion() {
        try {
            return org.apache.kafka.common.utils.AppInfoParser.getVersion();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        while ((root instanceof ExecutionException || root instanceof UncheckedIOException
                || (root.getMessage() == null && root.getCause() != null)) && root.getCause() != null) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        String text = root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("ignored while cleaning up a failed start", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not delete Embedded Kafka data directory {}: {}", dir, oneLine(e));
        }
    }
}

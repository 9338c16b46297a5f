package io.collectivekv.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Kafka broker as its own JVM process, started and stopped through {@code deploy/cluster/kafka.sh}
 * (KRaft, 127.0.0.1, free ports). {@link #close} stops it; so does a shutdown hook if the JVM
 * ends another way (Ctrl-C, an uncaught failure). Only a kill -9 of this JVM leaves it running;
 * {@code CKV_CLUSTER_DIR=<run dir> deploy/cluster/kafka.sh stop} then stops it.
 */
public final class KafkaBroker implements AutoCloseable {
    private final Path script;
    private final Path runDir;
    private final int port;
    private final int controllerPort;
    private final Thread hook;
    private boolean stopped;

    private KafkaBroker(Path script, Path runDir, int port, int controllerPort) {
        this.script = script;
        this.runDir = runDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.hook = new Thread(this::stopQuietly, "kafka-broker-stop");
    }

    /**
     * Starts a fresh broker (its data directory is wiped first).
     *
     * @param repository the checkout, where deploy/cluster/kafka.sh lives
     * @param runDir     the broker's run directory (its kafka/ is wiped; the resolved class path is kept)
     */
    public static KafkaBroker start(Path repository, Path runDir) throws IOException, InterruptedException {
        Path script = repository.resolve("deploy/cluster/kafka.sh");
        if (!Files.isRegularFile(script)) {
            throw new IOException(script + " not found: run ckv bench from the checkout's root, or pass --bootstrap-servers");
        }
        Files.createDirectories(runDir);
        deleteTree(runDir.resolve("kafka"));
        KafkaBroker broker = new KafkaBroker(script, runDir.toAbsolutePath(), freePort(), freePort());
        Runtime.getRuntime().addShutdownHook(broker.hook);
        try {
            broker.run("start", 180);
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker JVM's process id. */
    public long pid() throws IOException {
        return Long.parseLong(Files.readString(runDir.resolve("kafka/kafka.pid")).trim());
    }

    /** CPU time the broker process has used so far (user + system, from /proc), if readable. */
    public OptionalLong cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return OptionalLong.of(ticks * (1_000_000_000L / clockTicks()));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static long clockTicks() {
        return 100; // USER_HZ: 100 on every Linux the JVM supports here (x86_64, aarch64)
    }

    @Override
    public synchronized void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
    }

    private synchronized void stopQuietly() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            run("stop", 60);
        } catch (IOException | RuntimeException e) {
            System.err.println("ckv bench: stopping Kafka failed: " + e.getMessage()
                    + " (stop it with CKV_CLUSTER_DIR=" + runDir + " " + script + " stop)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(String action, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = runDir.resolve("kafka-sh-" + action + ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", script.toString(), action))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("CKV_CLUSTER_DIR", runDir.toString());
        env.put("KAFKA_PORT", Integer.toString(port));
        env.put("KAFKA_CONTROLLER_PORT", Integer.toString(controllerPort));
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("kafka.sh " + action + " did not finish within " + timeoutSeconds + " s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IOException("kafka.sh " + action + " failed (exit " + p.exitValue() + "): "
                    + Files.readString(log, StandardCharsets.UTF_8).trim());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

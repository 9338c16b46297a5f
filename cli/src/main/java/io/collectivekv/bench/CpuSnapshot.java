package io.collectivekv.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * CPU time of this JVM (all its threads, native ones included: RocksDB's, the GC's, the JIT's) and of
 * each live Java thread, at one instant; the difference of two snapshots says where a
 * measurement's CPU went. Threads that ended in between are not in either snapshot: their time
 * shows up only in the process total ("other").
 */
public final class CpuSnapshot {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    final long wallNanos;
    final long processCpuNanos;
    final Map<Long, String> names = new HashMap<>();
    final Map<Long, Long> cpu = new HashMap<>();
    final OptionalLong brokerCpuNanos;
    final long gcMillis;
    final long gcCount;
    final long jitMillis;
    /** /proc/stat ticks (USER_HZ) of all cores: busy (not idle or iowait) and stolen; -1 if unreadable. */
    final long machineBusyTicks;
    final long machineStealTicks;

    private CpuSnapshot(OptionalLong brokerCpuNanos) {
        this.brokerCpuNanos = brokerCpuNanos;
        wallNanos = System.nanoTime();
        processCpuNanos = processCpuNanos();
        long gcTime = 0;
        long gcs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcTime += Math.max(0, gc.getCollectionTime());
            gcs += Math.max(0, gc.getCollectionCount());
        }
        gcMillis = gcTime;
        gcCount = gcs;
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        jitMillis = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        long busy = -1;
        long steal = -1;
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal guest guest_nice
            busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7]);
            steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: the machine's figures stay unknown
        }
        machineBusyTicks = busy;
        machineStealTicks = steal;
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long c = THREADS.getThreadCpuTime(t.getThreadId());
            if (c >= 0) {
                names.put(t.getThreadId(), t.getThreadName());
                cpu.put(t.getThreadId(), c);
            }
        }
    }

    public static CpuSnapshot take(OptionalLong brokerCpuNanos) {
        return new CpuSnapshot(brokerCpuNanos);
    }

    static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** Where the CPU went between {@code before} and {@code after}, in ns, by kind of thread. */
    public static Usage between(CpuSnapshot before, CpuSnapshot after, long producerThreadNanos) {
        Map<String, Long> byThread = new TreeMap<>();
        for (var e : after.cpu.entrySet()) {
            long start = before.cpu.getOrDefault(e.getKey(), 0L);
            long used = e.getValue() - start;
            if (used > 0) {
                byThread.merge(group(after.names.get(e.getKey())), used, Long::sum);
            }
        }
        byThread.remove(LoadProducer.THREAD); // ended before the snapshot; it reported its own time
        if (producerThreadNanos > 0) {
            byThread.merge("bench: producer (sending thread)", producerThreadNanos, Long::sum);
        }
        long process = after.processCpuNanos - before.processCpuNanos;
        long threads = byThread.values().stream().mapToLong(Long::longValue).sum();
        long bench = 0;
        for (var e : byThread.entrySet()) {
            if (e.getKey().startsWith("bench:")) {
                bench += e.getValue();
            }
        }
        Map<String, Long> ordered = new LinkedHashMap<>();
        byThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        ordered.put("other (GC, JIT, RocksDB and other native threads, threads that ended)", Math.max(0, process - threads));
        long broker = before.brokerCpuNanos.isPresent() && after.brokerCpuNanos.isPresent()
                ? after.brokerCpuNanos.getAsLong() - before.brokerCpuNanos.getAsLong() : -1;
        boolean machine = before.machineBusyTicks >= 0 && after.machineBusyTicks >= 0;
        return new Usage(after.wallNanos - before.wallNanos, process, bench, broker, ordered, after.gcMillis - before.gcMillis,
                after.gcCount - before.gcCount, after.jitMillis - before.jitMillis,
                machine ? (after.machineBusyTicks - before.machineBusyTicks) * 10_000_000L : -1,
                machine ? (after.machineStealTicks - before.machineStealTicks) * 10_000_000L : -1);
    }

    /**
     * A thread's group: the bench's own clients (producer, its Kafka I/O thread, monitor, the main
     * thread polling REST), or the job's threads by what they do. Digits are folded, so the
     * subtasks and pools of one kind add up.
     */
    static String group(String name) {
        if (name == null) {
            return "?";
        }
        if (name.equals(LoadProducer.THREAD)) {
            return LoadProducer.THREAD;
        }
        if (name.contains("| " + LoadProducer.CLIENT_PREFIX)) {
            return "bench: producer (Kafka client I/O thread)";
        }
        if (name.startsWith(AnswerMonitor.THREAD)) {
            return "bench: monitor (recommendations consumer)";
        }
        if (name.equals("main") || name.startsWith("HttpClient") || name.startsWith("ProgressBar")) {
            return "bench: main, REST polling, progress bar";
        }
        if (name.startsWith("kafka-producer-network-thread")) {
            return "job: Kafka sink I/O thread";
        }
        if (name.startsWith("Source Data Fetcher")) {
            return "job: Kafka source fetcher";
        }
        if (name.contains("recommend")) {
            return "job: task recommend → sink (RocksDB, ONNX Runtime, top-K, Avro)";
        }
        if (name.contains("Source: interactions")) {
            return "job: task interactions source → decode";
        }
        if (name.contains("Source: model-releases")) {
            return "job: task releases source";
        }
        if (name.contains("dead-letters")) {
            return "job: task dead-letters sink";
        }
        return "job/runtime: " + name.replaceAll("[0-9]+", "N");
    }

    /**
     * @param wallNanos    elapsed time
     * @param processNanos CPU of this JVM
     * @param benchNanos   CPU of the bench's own threads (producer, monitor, polling): not the job's
     * @param brokerNanos  CPU of the Kafka broker process, or -1 if unknown
     * @param byGroup      CPU by thread group, largest first, then the rest of the process
     * @param gcMillis     time the collectors report (G1: young and mixed pauses, concurrent cycles)
     * @param gcCount      collections
     * @param jitMillis    time the JIT compilers spent
     * @param machineBusyNanos CPU time of every process on the machine (/proc/stat), or -1
     * @param stealNanos   time the hypervisor gave the machine's vCPUs to others, or -1
     */
    public record Usage(long wallNanos, long processNanos, long benchNanos, long brokerNanos, Map<String, Long> byGroup,
            long gcMillis, long gcCount, long jitMillis, long machineBusyNanos, long stealNanos) {
        public double machineBusyCores() {
            return machineBusyNanos < 0 ? Double.NaN : (double) machineBusyNanos / wallNanos;
        }

        public double stealCores() {
            return stealNanos < 0 ? Double.NaN : (double) stealNanos / wallNanos;
        }

        public long jobNanos() {
            return processNanos - benchNanos;
        }

        /** Cores busy on average, of this JVM. */
        public double processCores() {
            return (double) processNanos / wallNanos;
        }
    }
}

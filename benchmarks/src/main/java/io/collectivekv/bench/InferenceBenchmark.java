package io.collectivekv.bench;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.cache.CacheCodec;
import io.collectivekv.cache.KvCache;
import io.collectivekv.cache.Precision;
import io.collectivekv.inference.Inference;
import io.collectivekv.inference.ModelSession;
import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one event costs a user, per kv mode, window W and width d (HSTU, 2 layers, ML-1M's 3,416
 * items, one ORT thread):
 *
 * <ul>
 *   <li>{@code step}: one incremental step over a full window (evict, attend, append) — the job's
 *       per-event work in cache modes collective and full;</li>
 *   <li>{@code prefill}: encoding the whole window again — cache mode none's per-event work;</li>
 *   <li>{@code codec}: the cache's round trip through its state layout (RocksDB's share of the work
 *       besides the store itself).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class InferenceBenchmark {
    static final int ITEMS = 3416;

    @Param({"collective", "full"})
    public String kvMode;

    @Param({"50", "200", "1000"})
    public int window;

    @Param({"64", "256"})
    public int d;

    /** Pool entries per layer and side: the router's width, so a step's routing cost (no cache byte). */
    @Param({"1024"})
    public int poolSize;

    private ModelSession session;
    private CacheCodec codec;
    private KvCache cache;
    private int[] history;
    private byte[] encoded;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ModelConfig config = config(KvMode.valueOf(kvMode.toUpperCase()), d, window).withPoolSize(poolSize);
        ModelArtifact artifact = RandomModel.export(config, RandomModel.tempDir());
        session = ModelSession.open(artifact, 1);
        codec = new CacheCodec(config, Precision.FP32);
        SplittableRandom random = new SplittableRandom(11);
        history = random.ints(window, ModelConfig.RESERVED_ROWS, config.itemRows()).toArray();
        cache = session.prefill(List.of(history)).get(0).cache(); // W tokens: every step evicts one
        encoded = codec.encode(cache);
    }

    static ModelConfig config(KvMode mode, int d, int window) {
        return new ModelConfig(Encoder.HSTU, mode, d, 2, 2, Math.max(1, d / 32), 1024, window, ITEMS, 32);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
    }

    @Benchmark
    public Inference step() {
        next = next + 1 == history.length ? 0 : next + 1;
        return session.step(List.of(cache), new int[] {history[next]}).get(0);
    }

    @Benchmark
    public Inference prefill() {
        return session.prefill(List.of(history)).get(0);
    }

    @Benchmark
    public KvCache codec() {
        return codec.decode(codec.encode(codec.decode(encoded)));
    }
}

package io.collectivekv.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.collectivekv.export.OnnxGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * The machine's reference: an n × n by n × n float matmul on the same ORT engine, one thread,
 * 2n³ FLOP per call. A step's FLOP/s against this says how close it is to what the core allows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class MatmulBenchmark {
    @Param({"256", "512"})
    public int n;

    private Model model;
    private Predictor<NDList, NDList> predictor;
    private NDManager manager;
    private NDList input;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = RandomModel.tempDir();
        Path file = dir.resolve("matmul.onnx");
        Files.write(file, graph(n));
        model = Model.newInstance("matmul", Device.cpu(), "OnnxRuntime");
        model.load(file, "matmul", Map.of("intraOpNumThreads", "1", "interOpNumThreads", "1"));
        predictor = model.newPredictor(new NoopTranslator());
        manager = model.getNDManager().newSubManager();
        input = new NDList(manager.create(random(n * n), new Shape(n, n)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        predictor.close();
        model.close();
    }

    @Benchmark
    public NDList matmul() throws Exception {
        NDList out = predictor.predict(input);
        out.close();
        return out;
    }

    private static byte[] graph(int n) {
        OnnxGraph g = new OnnxGraph("matmul");
        String a = g.input("a", DataType.FLOAT, (long) n, (long) n);
        String b = g.floatInitializer("b", new long[] {n, n}, random(n * n));
        g.output(g.node("MatMul", List.of(a, b)), "c", DataType.FLOAT, (long) n, (long) n);
        return g.toModelBytes("collectivekv-benchmarks", "matmul reference");
    }

    private static float[] random(int size) {
        SplittableRandom r = new SplittableRandom(3);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) r.nextDouble(-1, 1);
        }
        return v;
    }
}

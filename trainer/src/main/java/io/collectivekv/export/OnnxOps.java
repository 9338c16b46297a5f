package io.collectivekv.export;

import static io.collectivekv.export.OnnxGraph.floatAttr;
import static io.collectivekv.export.OnnxGraph.intAttr;
import static io.collectivekv.export.OnnxGraph.intsAttr;

import io.collectivekv.nn.ModelStage;
import io.collectivekv.nn.TensorOps;
import io.collectivekv.nn.Weights;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link TensorOps} that emits ONNX nodes: running the model's code against it writes the graph.
 * Weights become initializers the first time the model asks for them. Always in inference mode.
 */
final class OnnxOps implements TensorOps<String> {
    private final OnnxGraph graph;
    private final Weights weights;
    private final Set<String> emitted = new HashSet<>();

    OnnxOps(OnnxGraph graph, Weights weights) {
        this.graph = graph;
        this.weights = weights;
    }

    OnnxGraph graph() {
        return graph;
    }

    @Override
    public String parameter(String name) {
        if (emitted.add(name)) {
            graph.floatInitializer(name, weights.shape(name), weights.values(name));
        }
        return name;
    }

    @Override
    public void stage(ModelStage stage) {
        graph.stage(stage);
    }

    @Override
    public boolean training() {
        return false;
    }

    @Override
    public String embed(String table, String indices) {
        return graph.node("Gather", List.of(table, indices), intAttr("axis", 0));
    }

    @Override
    public String linear(String x, String weight, String bias) {
        String y = graph.node("MatMul", List.of(x, weight));
        return bias == null ? y : graph.node("Add", List.of(y, bias));
    }

    @Override
    public String matmul(String a, String b) {
        return graph.node("MatMul", List.of(a, b));
    }

    @Override
    public String matmulTransposed(String a, String b) {
        return graph.node("MatMul", List.of(a, graph.node("Transpose", b, intsAttr("perm", 1, 0))));
    }

    @Override
    public String indexConstant(String name, long[] values) {
        if (emitted.add(name)) {
            graph.longInitializer(name, new long[] {values.length}, values);
        }
        return name;
    }

    @Override
    public String add(String a, String b) {
        return graph.node("Add", List.of(a, b));
    }

    @Override
    public String mul(String a, String b) {
        return graph.node("Mul", List.of(a, b));
    }

    @Override
    public String scale(String x, float factor) {
        return graph.node("Mul", List.of(x, graph.scalar(factor)));
    }

    @Override
    public String sigmoid(String x) {
        return graph.node("Sigmoid", x);
    }

    @Override
    public String relu(String x) {
        return graph.node("Relu", x);
    }

    @Override
    public String layerNorm(String x, String gamma, String beta) {
        return graph.node("LayerNormalization", List.of(x, gamma, beta), intAttr("axis", -1), floatAttr("epsilon", LAYER_NORM_EPSILON));
    }

    @Override
    public String softmaxLast(String x) {
        return graph.node("Softmax", x, intAttr("axis", -1));
    }

    @Override
    public String maxLast(String x) {
        return graph.node("ReduceMax", x, intsAttr("axes", -1), intAttr("keepdims", 1));
    }

    @Override
    public String argmaxLast(String x) {
        return graph.node("ArgMax", x, intAttr("axis", -1), intAttr("keepdims", 0), intAttr("select_last_index", 0));
    }

    @Override
    public String sliceLast(String x, int from, int to) {
        return graph.node("Slice", List.of(x, graph.longs(from), graph.longs(to), graph.longs(-1)));
    }

    @Override
    public String concat(String a, String b, int axis) {
        return graph.node("Concat", List.of(a, b), intAttr("axis", axis));
    }

    @Override
    public String permute(String x, int... axes) {
        long[] perm = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            perm[i] = axes[i];
        }
        return graph.node("Transpose", x, intsAttr("perm", perm));
    }

    @Override
    public String splitHeads(String x, int heads) {
        String r = graph.node("Reshape", List.of(x, graph.longs(0, 0, heads, -1))); // (B, T, H, dh)
        return permute(r, 0, 2, 1, 3);
    }

    @Override
    public String mergeHeads(String x) {
        return graph.node("Reshape", List.of(permute(x, 0, 2, 1, 3), graph.longs(0, 0, -1)));
    }

    @Override
    public String dropout(String x, float rate) {
        return x;
    }
}

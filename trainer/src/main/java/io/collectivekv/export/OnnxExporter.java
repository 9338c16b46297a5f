package io.collectivekv.export;

import static io.collectivekv.export.OnnxGraph.intAttr;
import static io.collectivekv.inference.GraphContract.CACHE_LENGTH;
import static io.collectivekv.inference.GraphContract.CACHE_PREFIX;
import static io.collectivekv.inference.GraphContract.ITEMS;
import static io.collectivekv.inference.GraphContract.LENGTHS;
import static io.collectivekv.inference.GraphContract.SCORES;
import static io.collectivekv.inference.GraphContract.USER_VECTOR;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import io.collectivekv.inference.GraphContract;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.AttentionLayout;
import io.collectivekv.nn.LayerEntries;
import io.collectivekv.nn.ModelStage;
import io.collectivekv.nn.SequenceModel;
import io.collectivekv.nn.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits the prefill and step graphs of a trained model (GraphContract names their inputs and
 * outputs). Both run {@link SequenceModel#forward} — the trainer's own code — against
 * {@link OnnxOps}; only the attention layouts and the batching glue are written here.
 */
public final class OnnxExporter {
    private static final String BATCH = "batch";
    private static final String TOKENS = "tokens";
    private static final String CACHED = "cached";

    private final SequenceModel model;
    private final Weights weights;
    private final ModelConfig config;

    public OnnxExporter(SequenceModel model, Weights weights) {
        this.model = model;
        this.weights = weights;
        this.config = model.config();
    }

    /** A full causal (banded) forward over right-padded windows; scores at each row's last token. */
    public byte[] prefill() {
        OnnxGraph g = new OnnxGraph("collectivekv_prefill");
        OnnxOps ops = new OnnxOps(g, weights);
        String items = g.input(ITEMS, DataType.INT64, BATCH, TOKENS);
        String lengths = g.input(LENGTHS, DataType.INT64, BATCH);

        String positions = g.node("Range", List.of(g.scalar(0L), dim(g, items, 1), g.scalar(1L)));   // (T)
        String dist = g.node("Sub", List.of(unsqueeze(g, positions, 1), unsqueeze(g, positions, 0))); // (T, T): i − j
        String visible = g.node("And", List.of(
                g.node("GreaterOrEqual", List.of(dist, g.scalar(0L))),
                g.node("Less", List.of(dist, g.scalar((long) config.window())))));
        AttentionLayout<String> layout = layout(g, unsqueeze(g, dist, 0), unsqueeze(g, unsqueeze(g, visible, 0), 0));

        SequenceModel.Forward<String> fwd = model.forward(ops, items, null, layout);
        g.stage(ModelStage.GLUE);
        // The last real token of each row: a one-hot over T picks its hidden state.
        String lastPosition = g.node("Sub", List.of(lengths, g.scalar(1L)));                         // (B)
        String oneHot = g.node("Cast", List.of(g.node("Equal", List.of(unsqueeze(g, positions, 0), unsqueeze(g, lastPosition, 1)))),
                intAttr("to", DataType.FLOAT.getNumber()));                                           // (B, T)
        String user = g.node("ReduceSum", List.of(g.node("Mul", List.of(fwd.hidden(), unsqueeze(g, oneHot, 2))), g.longs(1)),
                intAttr("keepdims", 0));                                                              // (B, d)
        outputs(g, ops, user, fwd.entries(), TOKENS);
        return g.toModelBytes("collectivekv-trainer", "prefill " + config.toMap());
    }

    /** One new token per row attending over its cached tokens (right-padded) and itself. */
    public byte[] step() {
        OnnxGraph g = new OnnxGraph("collectivekv_step");
        OnnxOps ops = new OnnxOps(g, weights);
        String items = g.input(ITEMS, DataType.INT64, BATCH, 1L);
        String cacheLength = g.input(CACHE_LENGTH, DataType.INT64, BATCH);
        List<String> cacheInputs = new ArrayList<>();
        for (String name : GraphContract.entryNames(config.kvMode())) {
            boolean index = GraphContract.isIndex(name);
            Object[] dims = index
                    ? new Object[] {(long) config.layers(), BATCH, CACHED}
                    : new Object[] {(long) config.layers(), BATCH, CACHED, (long) entryWidth()};
            cacheInputs.add(g.input(CACHE_PREFIX + name, index ? DataType.INT64 : DataType.FLOAT, dims));
        }

        String cachedPositions = g.node("Range", List.of(g.scalar(0L), dim(g, cacheInputs.get(0), 2), g.scalar(1L))); // (Tc)
        String cachedDist = g.node("Sub", List.of(unsqueeze(g, cacheLength, 1), unsqueeze(g, cachedPositions, 0)));  // (B, Tc)
        // Padding slots (j ≥ cache_length) get a distance ≤ 0 and are masked; the caller evicts so
        // that cache_length < W, keeping every real cached token inside the band.
        String cachedVisible = g.node("And", List.of(
                g.node("Greater", List.of(cachedDist, g.scalar(0L))),
                g.node("Less", List.of(cachedDist, g.scalar((long) config.window())))));
        String selfDist = g.node("Mul", List.of(unsqueeze(g, cacheLength, 1), g.scalar(0L)));                         // (B, 1) zeros
        String dist = g.node("Concat", List.of(cachedDist, selfDist), intAttr("axis", 1));                           // (B, Tc + 1)
        String visible = g.node("Concat", List.of(cachedVisible, g.node("Equal", List.of(selfDist, g.scalar(0L)))), intAttr("axis", 1));
        AttentionLayout<String> layout = layout(g, unsqueeze(g, dist, 1), unsqueeze(g, unsqueeze(g, visible, 1), 1));

        List<LayerEntries<String>> cached = new ArrayList<>();
        for (int l = 0; l < config.layers(); l++) {
            List<String> perLayer = new ArrayList<>();
            for (String input : cacheInputs) {
                perLayer.add(g.node("Gather", List.of(input, g.scalar((long) l)), intAttr("axis", 0)));
            }
            cached.add(config.kvMode() == KvMode.COLLECTIVE
                    ? new LayerEntries<>(perLayer.get(2), perLayer.get(3), perLayer.get(0), perLayer.get(1), null, null)
                    : LayerEntries.full(perLayer.get(0), perLayer.get(1)));
        }
        SequenceModel.Forward<String> fwd = model.forward(ops, items, cached, layout);
        g.stage(ModelStage.GLUE);
        String user = g.node("Reshape", List.of(fwd.hidden(), g.longs(0, -1)));                    // (B, 1, d) → (B, d)
        outputs(g, ops, user, fwd.entries(), "1");
        return g.toModelBytes("collectivekv-trainer", "step " + config.toMap());
    }

    private int entryWidth() {
        return config.kvMode() == KvMode.COLLECTIVE ? config.userDim() : config.d();
    }

    /** distance clipped into [0, W); valid as 0/1 floats; the softmax mask from valid. */
    private AttentionLayout<String> layout(OnnxGraph g, String distance, String visible) {
        String clipped = g.node("Clip", List.of(distance, g.scalar(0L), g.scalar((long) config.window() - 1)));
        String valid = g.node("Cast", visible, intAttr("to", DataType.FLOAT.getNumber()));
        String maskBias = g.node("Mul", List.of(g.node("Sub", List.of(g.scalar(1f), valid)), g.scalar(AttentionLayout.MASKED)));
        return new AttentionLayout<>(clipped, valid, maskBias);
    }

    private void outputs(OnnxGraph g, OnnxOps ops, String user, List<LayerEntries<String>> entries, String tokens) {
        g.output(model.scores(ops, user), SCORES, DataType.FLOAT, BATCH, (long) config.itemRows());
        g.stage(ModelStage.GLUE);
        g.output(user, USER_VECTOR, DataType.FLOAT, BATCH, (long) config.d());
        for (String name : GraphContract.entryNames(config.kvMode())) {
            List<String> perLayer = new ArrayList<>();
            for (LayerEntries<String> e : entries) {
                perLayer.add(unsqueeze(g, pick(e, name), 0));
            }
            String stacked = perLayer.size() == 1 ? perLayer.get(0) : g.node("Concat", perLayer, intAttr("axis", 0));
            boolean index = GraphContract.isIndex(name);
            Object[] dims = index
                    ? new Object[] {(long) config.layers(), BATCH, tokens}
                    : new Object[] {(long) config.layers(), BATCH, tokens, (long) entryWidth()};
            g.output(stacked, name, index ? DataType.INT64 : DataType.FLOAT, dims);
        }
    }

    private static String pick(LayerEntries<String> e, String name) {
        return switch (name) {
            case GraphContract.KEY_INDEX -> e.keyIndex();
            case GraphContract.VALUE_INDEX -> e.valueIndex();
            default -> name.startsWith("key") ? e.keyPart() : e.valuePart();
        };
    }

    private static String dim(OnnxGraph g, String value, int axis) {
        return g.node("Gather", List.of(g.node("Shape", value), g.scalar((long) axis)), intAttr("axis", 0));
    }

    private static String unsqueeze(OnnxGraph g, String value, long axis) {
        return g.node("Unsqueeze", List.of(value, g.longs(axis)));
    }
}

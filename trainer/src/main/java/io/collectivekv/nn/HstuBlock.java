package io.collectivekv.nn;

import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * HSTU block (Zhai et al., 2024), with keys and values from a {@link KeyValueProjection}:
 *
 * <pre>
 *   n      = LN(x)
 *   U, Q   = SiLU(W_uq n + b)                            (B, T, d) each
 *   K, V   = kv(n)                                       (B, Tk, d) each, cached tokens first
 *   A      = SiLU(Q Kᵀ + rab) ⊙ mask / W                 (B, H, T, Tk)
 *   y      = x + W_o(LN(A V) ⊙ U) + b_o
 * </pre>
 *
 * The attention is divided by the window W, a constant, so training, prefill and step normalise
 * identically however many tokens a user has.
 */
final class HstuBlock implements Block {
    private final String prefix;
    private final ModelConfig config;
    private final float dropout;
    private final LayerNormParameters inputNorm;
    private final LayerNormParameters attentionNorm;
    private final RelativePositionBias relPos;
    private final KeyValueProjection kv;

    HstuBlock(int layer, ModelConfig config, float dropout) {
        this.prefix = "layer" + layer + ".";
        this.config = config;
        this.dropout = dropout;
        this.inputNorm = new LayerNormParameters(prefix + "input_norm", config.d());
        this.attentionNorm = new LayerNormParameters(prefix + "attention_norm", config.d());
        this.relPos = new RelativePositionBias(prefix, config);
        this.kv = config.kvMode() == KvMode.COLLECTIVE
                ? new CollectiveKeyValue(prefix, config)
                : new FullKeyValue(prefix, config.d(), true);
    }

    @Override
    public List<ParameterSpec> parameters() {
        int d = config.d();
        List<ParameterSpec> specs = new ArrayList<>(inputNorm.specs());
        specs.add(new ParameterSpec(prefix + "uq.weight", new long[] {d, 2L * d}, ParameterSpec.Init.NORMAL));
        specs.add(new ParameterSpec(prefix + "uq.bias", new long[] {2L * d}, ParameterSpec.Init.ZEROS));
        specs.addAll(kv.parameters());
        specs.addAll(relPos.parameters());
        specs.addAll(attentionNorm.specs());
        specs.add(new ParameterSpec(prefix + "out.weight", new long[] {d, d}, ParameterSpec.Init.NORMAL));
        specs.add(new ParameterSpec(prefix + "out.bias", new long[] {d}, ParameterSpec.Init.ZEROS));
        return specs;
    }

    @Override
    public KeyValueProjection keyValue() {
        return kv;
    }

    @Override
    public <T> BlockOutput<T> forward(TensorOps<T> ops, T x, LayerEntries<T> cached, AttentionLayout<T> layout) {
        int d = config.d();
        int h = config.heads();
        ops.stage(ModelStage.DENSE);
        T n = inputNorm.apply(ops, x);                                                          // (B, T, d)
        T uq = ops.silu(ops.linear(n, ops.parameter(prefix + "uq.weight"), ops.parameter(prefix + "uq.bias"))); // (B, T, 2d)
        T u = ops.sliceLast(uq, 0, d);
        T q = ops.splitHeads(ops.sliceLast(uq, d, 2 * d), h);                                  // (B, H, T, dh)
        ops.stage(ModelStage.KV);
        LayerEntries<T> entries = kv.entries(ops, n);
        KeysValues<T> kvs = attended(ops, entries, cached);
        ops.stage(ModelStage.ATTENTION);
        T k = ops.splitHeads(kvs.keys(), h);                                                    // (B, H, Tk, dh)
        T v = ops.splitHeads(kvs.values(), h);                                                  // (B, H, Tk, dh)
        T logits = ops.add(ops.matmul(q, ops.permute(k, 0, 1, 3, 2)), relPos.bias(ops, layout)); // (B, H, T, Tk)
        T weights = ops.scale(ops.mul(ops.silu(logits), layout.valid()), 1f / config.window());
        T attended = ops.mergeHeads(ops.matmul(weights, v));                                    // (B, T, d)
        ops.stage(ModelStage.DENSE);
        T gated = ops.mul(attentionNorm.apply(ops, attended), u);
        T out = ops.linear(gated, ops.parameter(prefix + "out.weight"), ops.parameter(prefix + "out.bias"));
        return new BlockOutput<>(ops.add(x, ops.dropout(out, dropout)), entries, n);
    }
}

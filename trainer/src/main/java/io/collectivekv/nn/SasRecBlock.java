package io.collectivekv.nn;

import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * SASRec block (Kang & McAuley, 2018) in pre-LN form, with keys and values from a
 * {@link KeyValueProjection}:
 *
 * <pre>
 *   n   = LN₁(x);  q = W_q n + b                       (B, T, d)
 *   K,V = kv(n)                                         (B, Tk, d), cached tokens first
 *   x'  = x + W_o softmax(q Kᵀ/√dh + rab + mask) V
 *   y   = x' + W₂ ReLU(W₁ LN₂(x') + b₁) + b₂
 * </pre>
 */
final class SasRecBlock implements Block {
    private final String prefix;
    private final ModelConfig config;
    private final float dropout;
    private final LayerNormParameters attentionNorm;
    private final LayerNormParameters feedForwardNorm;
    private final RelativePositionBias relPos;
    private final KeyValueProjection kv;

    SasRecBlock(int layer, ModelConfig config, float dropout) {
        this.prefix = "layer" + layer + ".";
        this.config = config;
        this.dropout = dropout;
        this.attentionNorm = new LayerNormParameters(prefix + "attention_norm", config.d());
        this.feedForwardNorm = new LayerNormParameters(prefix + "feed_forward_norm", config.d());
        this.relPos = new RelativePositionBias(prefix, config);
        this.kv = config.kvMode() == KvMode.COLLECTIVE
                ? new CollectiveKeyValue(prefix, config)
                : new FullKeyValue(prefix, config.d(), false);
    }

    @Override
    public List<ParameterSpec> parameters() {
        int d = config.d();
        List<ParameterSpec> specs = new ArrayList<>(attentionNorm.specs());
        specs.add(new ParameterSpec(prefix + "query.weight", new long[] {d, d}, ParameterSpec.Init.NORMAL));
        specs.add(new ParameterSpec(prefix + "query.bias", new long[] {d}, ParameterSpec.Init.ZEROS));
        specs.addAll(kv.parameters());
        specs.addAll(relPos.parameters());
        specs.add(new ParameterSpec(prefix + "out.weight", new long[] {d, d}, ParameterSpec.Init.NORMAL));
        specs.add(new ParameterSpec(prefix + "out.bias", new long[] {d}, ParameterSpec.Init.ZEROS));
        specs.addAll(feedForwardNorm.specs());
        specs.add(new ParameterSpec(prefix + "ffn1.weight", new long[] {d, d}, ParameterSpec.Init.NORMAL));
        specs.add(new ParameterSpec(prefix + "ffn1.bias", new long[] {d}, ParameterSpec.Init.ZEROS));
        specs.add(new ParameterSpec(prefix + "ffn2.weight", new long[] {d, d}, ParameterSpec.Init.NORMAL));
        specs.add(new ParameterSpec(prefix + "ffn2.bias", new long[] {d}, ParameterSpec.Init.ZEROS));
        return specs;
    }

    @Override
    public KeyValueProjection keyValue() {
        return kv;
    }

    @Override
    public <T> BlockOutput<T> forward(TensorOps<T> ops, T x, LayerEntries<T> cached, AttentionLayout<T> layout) {
        int h = config.heads();
        ops.stage(ModelStage.DENSE);
        T n = attentionNorm.apply(ops, x);                                                      // (B, T, d)
        T q = ops.splitHeads(ops.linear(n, ops.parameter(prefix + "query.weight"), ops.parameter(prefix + "query.bias")), h);
        ops.stage(ModelStage.KV);
        LayerEntries<T> entries = kv.entries(ops, n);
        KeysValues<T> kvs = attended(ops, entries, cached);
        ops.stage(ModelStage.ATTENTION);
        T k = ops.splitHeads(kvs.keys(), h);                                                    // (B, H, Tk, dh)
        T v = ops.splitHeads(kvs.values(), h);
        T logits = ops.scale(ops.matmul(q, ops.permute(k, 0, 1, 3, 2)), (float) (1 / Math.sqrt(config.headDim())));
        logits = ops.add(ops.add(logits, relPos.bias(ops, layout)), layout.maskBias());         // (B, H, T, Tk)
        T attended = ops.mergeHeads(ops.matmul(ops.dropout(ops.softmaxLast(logits), dropout), v)); // (B, T, d)
        ops.stage(ModelStage.DENSE);
        T out = ops.linear(attended, ops.parameter(prefix + "out.weight"), ops.parameter(prefix + "out.bias"));
        T x1 = ops.add(x, ops.dropout(out, dropout));
        T f = feedForwardNorm.apply(ops, x1);
        f = ops.relu(ops.linear(f, ops.parameter(prefix + "ffn1.weight"), ops.parameter(prefix + "ffn1.bias")));
        f = ops.linear(ops.dropout(f, dropout), ops.parameter(prefix + "ffn2.weight"), ops.parameter(prefix + "ffn2.bias"));
        return new BlockOutput<>(ops.add(x1, ops.dropout(f, dropout)), entries, n);
    }
}

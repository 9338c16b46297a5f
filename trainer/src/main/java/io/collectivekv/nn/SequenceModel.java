package io.collectivekv.nn;

import io.collectivekv.model.Encoder;
import io.collectivekv.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole recommender: item embedding → blocks → final LayerNorm → dot product with the (tied)
 * item table. Built from a config alone; the same instance is run by the trainer (DJL) and emitted
 * as the prefill and step graphs (ONNX).
 */
public final class SequenceModel {
    public static final String ITEM_EMBEDDING = "item_embedding";

    private final ModelConfig config;
    private final float dropout;
    private final List<Block> blocks = new ArrayList<>();
    private final LayerNormParameters finalNorm;

    public SequenceModel(ModelConfig config, float dropout) {
        this.config = config;
        this.dropout = dropout;
        for (int l = 0; l < config.layers(); l++) {
            blocks.add(config.encoder() == Encoder.HSTU ? new HstuBlock(l, config, dropout) : new SasRecBlock(l, config, dropout));
        }
        this.finalNorm = new LayerNormParameters("final_norm", config.d());
    }

    public ModelConfig config() {
        return config;
    }

    /** Every learned weight, in a stable order. */
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> specs = new ArrayList<>();
        specs.add(new ParameterSpec(ITEM_EMBEDDING, new long[] {config.itemRows(), config.d()}, ParameterSpec.Init.NORMAL));
        blocks.forEach(b -> specs.addAll(b.parameters()));
        specs.addAll(finalNorm.specs());
        return specs;
    }

    /**
     * Runs the new tokens through every block.
     *
     * @param items  (B, T) int64 item rows of the new tokens
     * @param cached per layer, the cached tokens' entries; null for a prefill or training batch
     * @param layout queries = new tokens, keys = cached + new tokens
     * @return hidden states (B, T, d) after the final norm, and every layer's new entries
     */
    public <T> Forward<T> forward(TensorOps<T> ops, T items, List<LayerEntries<T>> cached, AttentionLayout<T> layout) {
        ops.stage(ModelStage.DENSE);
        T x = ops.dropout(ops.embed(ops.parameter(ITEM_EMBEDDING), items), dropout); // (B, T, d)
        List<LayerEntries<T>> entries = new ArrayList<>();
        List<T> kvInputs = new ArrayList<>();
        for (int l = 0; l < blocks.size(); l++) {
            BlockOutput<T> out = blocks.get(l).forward(ops, x, cached == null ? null : cached.get(l), layout);
            x = out.x();
            entries.add(out.entries());
            kvInputs.add(out.kvInput());
        }
        return new Forward<>(finalNorm.apply(ops, x), entries, kvInputs);
    }

    /** Scores of every item row for each hidden state: (..., d) → (..., R). */
    public <T> T scores(TensorOps<T> ops, T hidden) {
        ops.stage(ModelStage.SCORING);
        return ops.matmulTransposed(hidden, ops.parameter(ITEM_EMBEDDING));
    }

    /**
     * @param hidden  (B, T, d) after the final norm
     * @param entries  per layer, the new tokens' cache entries
     * @param kvInputs per layer, the normalised input its keys and values came from (B, T, d)
     */
    public record Forward<T>(T hidden, List<LayerEntries<T>> entries, List<T> kvInputs) {}
}

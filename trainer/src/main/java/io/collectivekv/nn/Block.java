package io.collectivekv.nn;

import java.util.List;

/** One transformer block of an encoder. */
public interface Block {

    List<ParameterSpec> parameters();

    KeyValueProjection keyValue();

    /**
     * @param x      block input (B, T, d) for the new tokens
     * @param cached the cached tokens' entries (Tc of them), or null when the new tokens are all
     * @param layout distances and mask of the new tokens (queries) to cached + new tokens (keys)
     */
    <T> BlockOutput<T> forward(TensorOps<T> ops, T x, LayerEntries<T> cached, AttentionLayout<T> layout);

    /** Keys and values to attend over: cached tokens (expanded from their entries) then new ones. */
    default <T> KeysValues<T> attended(TensorOps<T> ops, LayerEntries<T> fresh, LayerEntries<T> cached) {
        KeysValues<T> own = keyValue().keysValues(ops, fresh);
        if (cached == null) {
            return own;
        }
        ops.stage(ModelStage.CACHE);
        return keyValue().expandCached(ops, cached).append(ops, own);
    }
}

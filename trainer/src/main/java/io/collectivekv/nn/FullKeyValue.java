package io.collectivekv.nn;

import java.util.List;

/** The baseline: k = act(W_k n + b), v = act(W_v n + b); the cache keeps both, 2·d floats per token. */
final class FullKeyValue implements KeyValueProjection {
    private final String prefix;
    private final int d;
    private final boolean silu;

    /** @param silu HSTU applies SiLU to its projections; SASRec uses them as they are */
    FullKeyValue(String prefix, int d, boolean silu) {
        this.prefix = prefix;
        this.d = d;
        this.silu = silu;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                new ParameterSpec(prefix + "key.weight", new long[] {d, d}, ParameterSpec.Init.NORMAL),
                new ParameterSpec(prefix + "key.bias", new long[] {d}, ParameterSpec.Init.ZEROS),
                new ParameterSpec(prefix + "value.weight", new long[] {d, d}, ParameterSpec.Init.NORMAL),
                new ParameterSpec(prefix + "value.bias", new long[] {d}, ParameterSpec.Init.ZEROS));
    }

    @Override
    public <T> LayerEntries<T> entries(TensorOps<T> ops, T n) {
        return LayerEntries.full(project(ops, n, "key"), project(ops, n, "value")); // (B, T, d) each
    }

    private <T> T project(TensorOps<T> ops, T n, String which) {
        T y = ops.linear(n, ops.parameter(prefix + which + ".weight"), ops.parameter(prefix + which + ".bias"));
        return silu ? ops.silu(y) : y;
    }

    @Override
    public <T> KeysValues<T> keysValues(TensorOps<T> ops, LayerEntries<T> entries) {
        return new KeysValues<>(entries.keyPart(), entries.valuePart());
    }

    @Override
    public <T> KeysValues<T> expandCached(TensorOps<T> ops, LayerEntries<T> cached) {
        return new KeysValues<>(cached.keyPart(), cached.valuePart());
    }
}

package io.collectivekv.nn;

import java.util.List;

/** The γ and β of one LayerNorm, named {@code <prefix>.gamma} and {@code <prefix>.beta}. */
record LayerNormParameters(String prefix, int width) {

    List<ParameterSpec> specs() {
        return List.of(
                new ParameterSpec(prefix + ".gamma", new long[] {width}, ParameterSpec.Init.ONES),
                new ParameterSpec(prefix + ".beta", new long[] {width}, ParameterSpec.Init.ZEROS));
    }

    <T> T apply(TensorOps<T> ops, T x) {
        return ops.layerNorm(x, ops.parameter(prefix + ".gamma"), ops.parameter(prefix + ".beta"));
    }
}

package io.collectivekv.nn;

import io.collectivekv.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The CollectiveKV layer (DESIGN §2), for the keys and the values of one block:
 *
 * <pre>
 *   r_i = W_r n_i + b_r            router logits, (B, T, m)
 *   a_i = argmax_j r_ij            pool entry, ties to the lowest index
 *   u_i = SiLU(W_u n_i + b_u)      user part, (B, T, d_u)
 *   k_i = [ P[a_i] ; u_i ]         (B, T, d): shared first, user part last
 * </pre>
 *
 * Training multiplies the pool entry by the gate σ(r_{i,a_i}) so the router receives a gradient;
 * inference drops the gate, and the peak loss drives σ(r_{i,a_i}) → 1 so the two agree.
 * A cache keeps only a_i and u_i.
 */
final class CollectiveKeyValue implements KeyValueProjection {
    private final String prefix;
    private final ModelConfig config;

    CollectiveKeyValue(String prefix, ModelConfig config) {
        this.prefix = prefix;
        this.config = config;
    }

    @Override
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> specs = new ArrayList<>();
        for (String side : new String[] {"key", "value"}) {
            String p = prefix + side;
            specs.add(new ParameterSpec(p + "_pool", new long[] {config.poolSize(), config.sharedDim()}, ParameterSpec.Init.NORMAL));
            specs.add(new ParameterSpec(p + "_router.weight", new long[] {config.d(), config.poolSize()}, ParameterSpec.Init.NORMAL));
            specs.add(new ParameterSpec(p + "_router.bias", new long[] {config.poolSize()}, ParameterSpec.Init.ZEROS));
            specs.add(new ParameterSpec(p + "_user.weight", new long[] {config.d(), config.userDim()}, ParameterSpec.Init.NORMAL));
            specs.add(new ParameterSpec(p + "_user.bias", new long[] {config.userDim()}, ParameterSpec.Init.ZEROS));
        }
        return specs;
    }

    @Override
    public <T> LayerEntries<T> entries(TensorOps<T> ops, T n) {
        T keyLogits = routerLogits(ops, n, "key");     // (B, T, m)
        T valueLogits = routerLogits(ops, n, "value"); // (B, T, m)
        return new LayerEntries<>(
                userPart(ops, n, "key"), userPart(ops, n, "value"),  // (B, T, d_u) each
                ops.argmaxLast(keyLogits), ops.argmaxLast(valueLogits), // (B, T) each
                keyLogits, valueLogits);
    }

    @Override
    public <T> KeysValues<T> keysValues(TensorOps<T> ops, LayerEntries<T> e) {
        return new KeysValues<>(
                assemble(ops, "key", e.keyIndex(), e.keyPart(), e.keyLogits()),
                assemble(ops, "value", e.valueIndex(), e.valuePart(), e.valueLogits()));
    }

    @Override
    public <T> KeysValues<T> expandCached(TensorOps<T> ops, LayerEntries<T> cached) {
        return new KeysValues<>(
                assemble(ops, "key", cached.keyIndex(), cached.keyPart(), null),
                assemble(ops, "value", cached.valueIndex(), cached.valuePart(), null));
    }

    private <T> T routerLogits(TensorOps<T> ops, T n, String side) {
        return ops.linear(n, ops.parameter(prefix + side + "_router.weight"), ops.parameter(prefix + side + "_router.bias"));
    }

    private <T> T userPart(TensorOps<T> ops, T n, String side) {
        return ops.silu(ops.linear(n, ops.parameter(prefix + side + "_user.weight"), ops.parameter(prefix + side + "_user.bias")));
    }

    /** [P[a] ; u] → (B, T, d); gated by σ(max r) when training and logits are at hand. */
    private <T> T assemble(TensorOps<T> ops, String side, T index, T user, T logits) {
        T shared = ops.embed(ops.parameter(prefix + side + "_pool"), index); // (B, T, d − d_u)
        if (ops.training() && logits != null) {
            shared = ops.mul(shared, ops.sigmoid(ops.maxLast(logits)));   // (B, T, d − d_u) · (B, T, 1)
        }
        return ops.concat(shared, user, 2);
    }
}

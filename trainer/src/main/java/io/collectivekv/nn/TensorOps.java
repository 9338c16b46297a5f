package io.collectivekv.nn;

/**
 * The tensor operations the model is written in. The model code is written once against this
 * interface and run by two backends: DJL NDArrays with autograd (training, the eval-mode forward)
 * and ONNX graph emission (the exported prefill and step graphs). That is what keeps training and
 * serving computing the same function; the parity tests check that it does.
 *
 * <p>Shapes use B = batch, T = tokens, Tk = attended tokens, H = heads, d = width, R = table rows.
 *
 * @param <T> a tensor handle: an NDArray, or the name of an ONNX value
 */
public interface TensorOps<T> {

    /** A learned weight by name (see {@link ParameterSpec}). */
    T parameter(String name);

    /** Whether dropout and the router gate are active (training) or not (eval, export). */
    boolean training();

    /** Rows of {@code table} (R, D) picked by integer {@code indices} (...) → (..., D). */
    T embed(T table, T indices);

    /** {@code x @ weight + bias}: (..., in) → (..., out). */
    T linear(T x, T weight, T bias);

    /** Batched matrix product over the last two axes, broadcasting the leading ones. */
    T matmul(T a, T b);

    /** {@code a @ bᵀ} for a 2-D {@code b} (n, k): (..., k) → (..., n); scores against a table. */
    T matmulTransposed(T a, T b);

    /** A constant int64 vector (a lookup table baked into the graph or batch). */
    T indexConstant(String name, long[] values);

    T add(T a, T b);

    T mul(T a, T b);

    T scale(T x, float factor);

    T sigmoid(T x);

    T relu(T x);

    /** LayerNorm over the last axis with ε = {@link #LAYER_NORM_EPSILON}. */
    T layerNorm(T x, T gamma, T beta);

    T softmaxLast(T x);

    /** Max over the last axis, kept: (..., n) → (..., 1). */
    T maxLast(T x);

    /** Arg-max over the last axis, dropped, as int64; ties go to the lowest index. */
    T argmaxLast(T x);

    /** {@code x[..., from:to]}. */
    T sliceLast(T x, int from, int to);

    T concat(T a, T b, int axis);

    T permute(T x, int... axes);

    /** (B, T, d) → (B, H, T, d/H). */
    T splitHeads(T x, int heads);

    /** (B, H, T, d/H) → (B, T, d). */
    T mergeHeads(T x);

    /** Inverted dropout while training, identity otherwise. */
    T dropout(T x, float rate);

    /** SiLU(x) = x · σ(x), written out so every backend computes it the same way. */
    /** The stage the following operations belong to, for cost profiles; a backend may ignore it. */
    default void stage(ModelStage stage) {}

    default T silu(T x) {
        return mul(x, sigmoid(x));
    }

    float LAYER_NORM_EPSILON = 1e-5f;
}

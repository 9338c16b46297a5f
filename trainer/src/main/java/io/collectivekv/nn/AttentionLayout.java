package io.collectivekv.nn;

/**
 * Which keys each query may see and at what distance. Built by each backend for its situation
 * (a training batch, a prefill, a step over a cache); the attention itself is the same code.
 *
 * @param distance  int64 (·, Tq, Tk): query position − key position, clipped to [0, W)
 * @param valid     float (·, 1, Tq, Tk): 1 where the key is causal and inside the window band, else 0
 * @param maskBias  float (·, 1, Tq, Tk): 0 where valid, −1e9 elsewhere (added before a softmax)
 * @param <T>       tensor handle
 */
public record AttentionLayout<T>(T distance, T valid, T maskBias) {
    /** What a masked softmax logit is pushed down by; exp of it underflows to exactly 0 in fp32. */
    public static final float MASKED = -1e9f;
}

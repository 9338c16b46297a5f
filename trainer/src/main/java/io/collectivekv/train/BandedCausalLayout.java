package io.collectivekv.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.collectivekv.nn.AttentionLayout;

/**
 * The attention layout of a right-padded training (or eval) batch: token i sees tokens j with
 * i − W < j ≤ i. The band is what a step with eviction sees, so a model trained on it serves
 * exactly as trained however long a user's history grows; padding sits after every real token,
 * so causality alone keeps it out of sight.
 */
final class BandedCausalLayout {
    private BandedCausalLayout() {}

    static AttentionLayout<NDArray> of(NDManager manager, int tokens, int window) {
        long[] distance = new long[tokens * tokens];
        float[] valid = new float[tokens * tokens];
        float[] maskBias = new float[tokens * tokens];
        for (int i = 0; i < tokens; i++) {
            for (int j = 0; j < tokens; j++) {
                int dist = i - j;
                boolean visible = dist >= 0 && dist < window;
                distance[i * tokens + j] = Math.max(0, Math.min(dist, window - 1));
                valid[i * tokens + j] = visible ? 1f : 0f;
                maskBias[i * tokens + j] = visible ? 0f : AttentionLayout.MASKED;
            }
        }
        return new AttentionLayout<>(
                manager.create(distance, new Shape(1, tokens, tokens)),
                manager.create(valid, new Shape(1, 1, tokens, tokens)),
                manager.create(maskBias, new Shape(1, 1, tokens, tokens)));
    }
}

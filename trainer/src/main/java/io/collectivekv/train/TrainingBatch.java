package io.collectivekv.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.collectivekv.model.ModelConfig;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Next-item training examples for a batch of users, right-padded with row 0:
 * inputs (B, T) = s[n−T−1 … n−2], targets (B, T) = s[n−T … n−1], mask (B, T) = 1 on real tokens.
 *
 * @param tokens T, the longest (clipped) sequence in the batch
 */
record TrainingBatch(long[] inputs, long[] targets, float[] mask, int batch, int tokens) {

    /**
     * @param maxLength   at most this many predicted positions per user (the most recent)
     * @param unknownRate share of input items replaced by the unknown row
     */
    static TrainingBatch of(List<int[]> sequences, int maxLength, float unknownRate, SplittableRandom random) {
        int tokens = 1;
        for (int[] s : sequences) {
            tokens = Math.max(tokens, Math.min(s.length - 1, maxLength));
        }
        int batch = sequences.size();
        long[] inputs = new long[batch * tokens];
        long[] targets = new long[batch * tokens];
        float[] mask = new float[batch * tokens];
        for (int b = 0; b < batch; b++) {
            int[] s = sequences.get(b);
            int n = Math.min(s.length - 1, maxLength);
            int start = s.length - 1 - n;
            for (int t = 0; t < n; t++) {
                int item = s[start + t];
                inputs[b * tokens + t] = random.nextDouble() < unknownRate ? ModelConfig.UNKNOWN_ROW : item;
                targets[b * tokens + t] = s[start + t + 1];
                mask[b * tokens + t] = 1f;
            }
        }
        return new TrainingBatch(inputs, targets, mask, batch, tokens);
    }

    NDArray inputs(NDManager m) {
        return m.create(inputs, new Shape(batch, tokens));
    }

    NDArray targets(NDManager m) {
        return m.create(targets, new Shape(batch, tokens));
    }

    NDArray mask(NDManager m) {
        return m.create(mask, new Shape(batch, tokens));
    }
}

package io.collectivekv.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.collectivekv.cache.KvCache;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;

/**
 * A graph's outputs copied to the heap once, and sliced per user. Entry tensors are
 * (L, B, T) int64 indices and (L, B, T, w) floats (GraphContract).
 */
final class Outputs {
    private final ModelConfig config;
    private final int batch;
    private final int tokens;
    private final int width;
    private final float[] scores;
    private final float[] userVectors;
    private final long[] keyIndex;
    private final long[] valueIndex;
    private final float[] keyPart;
    private final float[] valuePart;

    Outputs(NDList out, ModelConfig config, int batch, int tokens) {
        this.config = config;
        this.batch = batch;
        this.tokens = tokens;
        this.width = KvCache.entryWidth(config);
        this.scores = get(out, GraphContract.SCORES).toFloatArray();
        this.userVectors = get(out, GraphContract.USER_VECTOR).toFloatArray();
        boolean collective = config.kvMode() == KvMode.COLLECTIVE;
        this.keyIndex = collective ? get(out, GraphContract.KEY_INDEX).toLongArray() : new long[0];
        this.valueIndex = collective ? get(out, GraphContract.VALUE_INDEX).toLongArray() : new long[0];
        this.keyPart = get(out, collective ? GraphContract.KEY_USER : GraphContract.KEY).toFloatArray();
        this.valuePart = get(out, collective ? GraphContract.VALUE_USER : GraphContract.VALUE).toFloatArray();
    }

    float[] scores(int b) {
        int rows = config.itemRows();
        float[] s = new float[rows];
        System.arraycopy(scores, b * rows, s, 0, rows);
        return s;
    }

    float[] userVector(int b) {
        float[] u = new float[config.d()];
        System.arraycopy(userVectors, b * config.d(), u, 0, config.d());
        return u;
    }

    /** Row b's first {@code length} tokens as a new cache. */
    KvCache cache(int b, int length) {
        int layers = config.layers();
        boolean collective = config.kvMode() == KvMode.COLLECTIVE;
        int[] ki = new int[collective ? layers * length : 0];
        int[] vi = new int[ki.length];
        float[] kp = new float[layers * length * width];
        float[] vp = new float[kp.length];
        for (int l = 0; l < layers; l++) {
            for (int t = 0; t < length; t++) {
                int src = (l * batch + b) * tokens + t;
                int dst = l * length + t;
                if (collective) {
                    ki[dst] = (int) keyIndex[src];
                    vi[dst] = (int) valueIndex[src];
                }
                System.arraycopy(keyPart, src * width, kp, dst * width, width);
                System.arraycopy(valuePart, src * width, vp, dst * width, width);
            }
        }
        return KvCache.of(config, length, ki, vi, kp, vp);
    }

    /** Appends row b's single new token (a step's output) to {@code cache}. */
    void appendTo(KvCache cache, int b) {
        cache.append(cache(b, 1));
    }

    private static NDArray get(NDList out, String name) {
        NDArray a = out.get(name);
        if (a == null) {
            throw new IllegalStateException("graph has no output named " + name);
        }
        return a;
    }
}

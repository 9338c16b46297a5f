package io.collectivekv.cache;

import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * One user's transformer cache, in memory: for each layer and cached token either
 * (collective) two pool indices and the two user parts of d_u floats, or (full) the key and value
 * of d floats. Layer-major arrays, oldest token first:
 *
 * <pre>
 *   keyIndex, valueIndex   (L, length)          collective only
 *   keyPart, valuePart     (L, length, width)   width = d_u (collective) or d (full)
 * </pre>
 *
 * Tokens are appended by a step and the oldest is dropped past the window; relative positions make
 * the remaining entries stay valid, so nothing is recomputed.
 */
public final class KvCache {
    private final KvMode mode;
    private final int layers;
    private final int width;
    private int length;
    private int[] keyIndex;
    private int[] valueIndex;
    private float[] keyPart;
    private float[] valuePart;

    KvCache(KvMode mode, int layers, int width, int length, int[] keyIndex, int[] valueIndex, float[] keyPart, float[] valuePart) {
        this.mode = mode;
        this.layers = layers;
        this.width = width;
        this.length = length;
        this.keyIndex = keyIndex;
        this.valueIndex = valueIndex;
        this.keyPart = keyPart;
        this.valuePart = valuePart;
    }

    /**
     * A cache from layer-major arrays (see the class comment); indices are empty arrays in full mode.
     */
    public static KvCache of(ModelConfig config, int length, int[] keyIndex, int[] valueIndex, float[] keyPart, float[] valuePart) {
        int width = entryWidth(config);
        int indices = config.kvMode() == KvMode.COLLECTIVE ? config.layers() * length : 0;
        if (keyIndex.length != indices || valueIndex.length != indices
                || keyPart.length != config.layers() * length * width || valuePart.length != keyPart.length) {
            throw new IllegalArgumentException("cache arrays do not match " + config.layers() + " layers × " + length + " tokens × " + width);
        }
        return new KvCache(config.kvMode(), config.layers(), width, length, keyIndex, valueIndex, keyPart, valuePart);
    }

    /** An empty cache for a model. */
    public static KvCache empty(ModelConfig config) {
        return new KvCache(config.kvMode(), config.layers(), entryWidth(config), 0, new int[0], new int[0], new float[0], new float[0]);
    }

    /** Floats per token, layer and side: d_u for collective, d for full. */
    public static int entryWidth(ModelConfig config) {
        return config.kvMode() == KvMode.COLLECTIVE ? config.userDim() : config.d();
    }

    public KvMode mode() {
        return mode;
    }

    public int layers() {
        return layers;
    }

    public int width() {
        return width;
    }

    public int length() {
        return length;
    }

    public int keyIndex(int layer, int token) {
        return keyIndex[layer * length + token];
    }

    public int valueIndex(int layer, int token) {
        return valueIndex[layer * length + token];
    }

    /** Copies the key part of (layer, token) into {@code out} at {@code offset}. */
    public void copyKeyPart(int layer, int token, float[] out, int offset) {
        System.arraycopy(keyPart, (layer * length + token) * width, out, offset, width);
    }

    public void copyValuePart(int layer, int token, float[] out, int offset) {
        System.arraycopy(valuePart, (layer * length + token) * width, out, offset, width);
    }

    /** Appends a one-token cache of the same shape (what a step computed) as the newest token. */
    public void append(KvCache token) {
        if (token.length != 1 || token.mode != mode || token.layers != layers || token.width != width) {
            throw new IllegalArgumentException("cannot append " + token + " to " + this);
        }
        if (mode == KvMode.COLLECTIVE) {
            keyIndex = insertTokens(keyIndex, token.keyIndex, 1, int[]::new);
            valueIndex = insertTokens(valueIndex, token.valueIndex, 1, int[]::new);
        }
        keyPart = insertTokens(keyPart, token.keyPart, width, float[]::new);
        valuePart = insertTokens(valuePart, token.valuePart, width, float[]::new);
        length++;
    }

    /** Drops the oldest {@code count} tokens (eviction past the window). */
    public void dropOldest(int count) {
        if (count <= 0) {
            return;
        }
        int n = Math.max(0, length - count);
        if (mode == KvMode.COLLECTIVE) {
            keyIndex = keepNewest(keyIndex, n, 1, int[]::new);
            valueIndex = keepNewest(valueIndex, n, 1, int[]::new);
        }
        keyPart = keepNewest(keyPart, n, width, float[]::new);
        valuePart = keepNewest(valuePart, n, width, float[]::new);
        length = n;
    }

    public KvCache copy() {
        return new KvCache(mode, layers, width, length, keyIndex.clone(), valueIndex.clone(), keyPart.clone(), valuePart.clone());
    }

    int[] keyIndexArray() {
        return keyIndex;
    }

    int[] valueIndexArray() {
        return valueIndex;
    }

    float[] keyPartArray() {
        return keyPart;
    }

    float[] valuePartArray() {
        return valuePart;
    }

    /** (L, length, w) + one token's (L, w) → (L, length + 1, w); {@code A} is int[] or float[]. */
    private <A> A insertTokens(A old, A fresh, int w, IntFunction<A> allocate) {
        A out = allocate.apply(layers * (length + 1) * w);
        for (int l = 0; l < layers; l++) {
            System.arraycopy(old, l * length * w, out, l * (length + 1) * w, length * w);
            System.arraycopy(fresh, l * w, out, (l * (length + 1) + length) * w, w);
        }
        return out;
    }

    /** (L, length, w) → (L, n, w), keeping the newest n tokens. */
    private <A> A keepNewest(A old, int n, int w, IntFunction<A> allocate) {
        A out = allocate.apply(layers * n * w);
        for (int l = 0; l < layers; l++) {
            System.arraycopy(old, (l * length + (length - n)) * w, out, l * n * w, n * w);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvCache c && mode == c.mode && layers == c.layers && width == c.width && length == c.length
                && Arrays.equals(keyIndex, c.keyIndex) && Arrays.equals(valueIndex, c.valueIndex)
                && Arrays.equals(keyPart, c.keyPart) && Arrays.equals(valuePart, c.valuePart);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keyIndex) * 31 + Arrays.hashCode(keyPart) + length;
    }

    @Override
    public String toString() {
        return "KvCache{" + mode.id() + ", layers=" + layers + ", width=" + width + ", length=" + length + "}";
    }
}

package io.collectivekv.cache;

import io.collectivekv.model.ConfigChoice;

/**
 * How the codec stores the cache's floats. fp32 is exact (the parity invariant holds through state);
 * fp16 halves the float bytes and rounds each value to 11 significant bits (relative error ≤ 2⁻¹¹).
 */
public enum Precision implements ConfigChoice {
    FP32(4),
    FP16(2);

    private final int bytes;

    Precision(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public static Precision parse(String key, String value) {
        return ConfigChoice.parse(Precision.class, key, value);
    }
}

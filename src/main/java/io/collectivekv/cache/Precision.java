package io.collectivekv.cache;

import io.collectivekv.model.ConfigException;
import java.util.Locale;

/**
 * How the codec stores the cache's floats. fp32 is exact (the parity invariant holds through state);
 * fp16 halves the float bytes and rounds each value to 11 significant bits (relative error ≤ 2⁻¹¹).
 */
public enum Precision {
    FP32(4),
    FP16(2);

    private final int bytes;

    Precision(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision parse(String key, String value) {
        for (Precision p : values()) {
            if (p.id().equals(value)) {
                return p;
            }
        }
        throw new ConfigException(key, value, "fp32 or fp16");
    }
}

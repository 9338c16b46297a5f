package io.collectivekv.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The sequence encoder family (DESIGN §3). Both are causal and use relative-position bias only. */
public enum Encoder {
    /** HSTU block: pointwise SiLU attention normalised by the window, gated by U. */
    HSTU,
    /** SASRec block: pre-LN softmax attention followed by a feed-forward layer. */
    SASREC;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Encoder parse(String key, String value) {
        for (Encoder e : values()) {
            if (e.id().equals(value)) {
                return e;
            }
        }
        throw new ConfigException(key, value, "one of " + Arrays.stream(values()).map(Encoder::id).collect(Collectors.joining(", ")));
    }
}

package io.collectivekv.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a block produces its keys and values, and so what a user's cache holds (DESIGN §2). */
public enum KvMode {
    /** Ordinary projections: the cache holds 2·d floats per token and layer. */
    FULL,
    /** Shared pool entry + user part: the cache holds two pool indices and 2·d_u floats. */
    COLLECTIVE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static KvMode parse(String key, String value) {
        for (KvMode m : values()) {
            if (m.id().equals(value)) {
                return m;
            }
        }
        throw new ConfigException(key, value, "one of " + Arrays.stream(values()).map(KvMode::id).collect(Collectors.joining(", ")));
    }
}

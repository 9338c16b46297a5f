package io.collectivekv.model;

/** How a block produces its keys and values, and so what a user's cache holds (DESIGN §2). */
public enum KvMode implements ConfigChoice {
    /** Ordinary projections: the cache holds 2·d floats per token and layer. */
    FULL,
    /** Shared pool entry + user part: the cache holds two pool indices and 2·d_u floats. */
    COLLECTIVE;

    static KvMode parse(String key, String value) {
        return ConfigChoice.parse(KvMode.class, key, value);
    }
}

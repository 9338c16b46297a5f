package io.collectivekv.nn;

/**
 * Full-width keys and values, (B, Tk, d) each, as the attention consumes them.
 *
 * @param <T> tensor handle
 */
public record KeysValues<T>(T keys, T values) {

    /** Cached tokens first, then the new ones: the order of the distances in the layout. */
    public KeysValues<T> append(TensorOps<T> ops, KeysValues<T> newer) {
        return new KeysValues<>(ops.concat(keys, newer.keys, 1), ops.concat(values, newer.values, 1));
    }
}

package io.collectivekv.nn;

import java.util.List;

/**
 * How a block turns its normalised input into keys and values, and what of them a cache keeps.
 * The two implementations are the two kv modes; the blocks do not know which one they hold.
 */
public interface KeyValueProjection {

    List<ParameterSpec> parameters();

    /** The new tokens' cache entries from the block's layer input n (B, T, d). */
    <T> LayerEntries<T> entries(TensorOps<T> ops, T n);

    /** The new tokens' full keys and values (training: with the router gate, DESIGN §2). */
    <T> KeysValues<T> keysValues(TensorOps<T> ops, LayerEntries<T> entries);

    /** Full keys and values of cached tokens from their stored entries (never gated). */
    <T> KeysValues<T> expandCached(TensorOps<T> ops, LayerEntries<T> cached);
}

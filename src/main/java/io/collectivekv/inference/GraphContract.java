package io.collectivekv.inference;

import io.collectivekv.model.KvMode;
import java.util.List;

/**
 * Names of the inputs and outputs of the exported graphs: the contract between the ONNX export
 * (trainer) and inference (core). L = layers, B = batch, T = tokens, Tc = cached tokens.
 *
 * <pre>
 * prefill: items (B, T) int64, lengths (B) int64            right-padded with row 0
 * step:    items (B, 1) int64, cache_length (B) int64,      cache right-padded, Tc ≥ 1
 *          collective: cache_key_index, cache_value_index (L, B, Tc) int64,
 *                      cache_key_user, cache_value_user (L, B, Tc, d_u) float
 *          full:       cache_key, cache_value (L, B, Tc, d) float
 * outputs of both: scores (B, R), user_vector (B, d), and the new tokens' entries
 *          collective: key_index, value_index (L, B, T) int64, key_user, value_user (L, B, T, d_u)
 *          full:       key, value (L, B, T, d)
 * </pre>
 */
public final class GraphContract {
    public static final String ITEMS = "items";
    public static final String LENGTHS = "lengths";
    public static final String CACHE_LENGTH = "cache_length";
    public static final String CACHE_PREFIX = "cache_";

    public static final String SCORES = "scores";
    public static final String USER_VECTOR = "user_vector";
    public static final String KEY_INDEX = "key_index";
    public static final String VALUE_INDEX = "value_index";
    public static final String KEY_USER = "key_user";
    public static final String VALUE_USER = "value_user";
    public static final String KEY = "key";
    public static final String VALUE = "value";

    private GraphContract() {}

    /** Entry tensors in their fixed order: int64 indices first (collective), then floats. */
    public static List<String> entryNames(KvMode mode) {
        return mode == KvMode.COLLECTIVE ? List.of(KEY_INDEX, VALUE_INDEX, KEY_USER, VALUE_USER) : List.of(KEY, VALUE);
    }

    public static boolean isIndex(String entryName) {
        return entryName.equals(KEY_INDEX) || entryName.equals(VALUE_INDEX);
    }
}

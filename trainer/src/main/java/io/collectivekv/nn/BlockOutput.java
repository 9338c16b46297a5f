package io.collectivekv.nn;

/**
 * @param x       the block's output (B, T, d)
 * @param entries the new tokens' cache entries
 * @param kvInput the normalised input the keys and values were computed from (B, T, d)
 * @param <T>     tensor handle
 */
public record BlockOutput<T>(T x, LayerEntries<T> entries, T kvInput) {}

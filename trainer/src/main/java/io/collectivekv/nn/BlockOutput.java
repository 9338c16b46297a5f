package io.collectivekv.nn;

/**
 * @param x       the block's output (B, T, d)
 * @param entries the new tokens' cache entries
 * @param <T>     tensor handle
 */
public record BlockOutput<T>(T x, LayerEntries<T> entries) {}

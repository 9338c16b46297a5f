package io.collectivekv.inference;

import io.collectivekv.cache.KvCache;

/**
 * What one user gets from a prefill or a step.
 *
 * @param cache      the user's cache after the call (for a step: the same object, updated)
 * @param scores     (R) a score for every item-table row, padding and unknown included
 * @param userVector (d) the last hidden state, for nearest-neighbour retrieval
 */
public record Inference(KvCache cache, float[] scores, float[] userVector) {}

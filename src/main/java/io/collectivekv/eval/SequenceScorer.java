package io.collectivekv.eval;

import java.util.List;

/** A model seen from evaluation: scores every item-table row as the next item after each history. */
@FunctionalInterface
public interface SequenceScorer {

    /** One row per history, each of length N + 2 (the whole item table; rows 0 and 1 are ignored). */
    float[][] scores(List<int[]> histories);
}

package io.collectivekv.eval;

import io.collectivekv.data.ItemIndex;

/** Reads the target's score, refusing cases that would silently give a perfect rank. */
final class TargetScore {

    private TargetScore() {
    }

    /** A NaN target score compares false with everything and so would rank first: a broken model must fail instead. */
    static float of(float[] scores, int target) {
        if (target < ItemIndex.FIRST_ITEM_ROW || target >= scores.length) {
            throw new IllegalArgumentException("target row " + target + " is not a catalogue row of a table with " + scores.length + " rows");
        }
        float score = scores[target];
        if (Float.isNaN(score)) {
            throw new IllegalArgumentException("the score of target row " + target + " is NaN");
        }
        return score;
    }
}

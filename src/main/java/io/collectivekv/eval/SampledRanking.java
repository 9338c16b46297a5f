package io.collectivekv.eval;

import io.collectivekv.data.ItemIndex;

import java.util.SplittableRandom;

/**
 * The SASRec paper's protocol: rank the target among {@value #NEGATIVES} negatives drawn uniformly from
 * the catalogue rows outside the user's history, without repetition (the original code could draw a
 * row twice; among thousands of items that rarely happens). A user who has seen nearly the
 * whole catalogue gets all remaining rows as negatives. Ties count in the target's favour, as in
 * {@link FullRanking}.
 */
final class SampledRanking {
    static final int NEGATIVES = 100;

    private SampledRanking() {
    }

    /** The 0-based rank of {@code target} among itself and the negatives drawn with {@code seed}. */
    static int rank(float[] scores, int target, int[] history, long seed) {
        float targetScore = TargetScore.of(scores, target);
        boolean[] excluded = new boolean[scores.length];
        excluded[target] = true;
        int available = scores.length - ItemIndex.FIRST_ITEM_ROW - 1;
        for (int row : history) {
            if (row >= ItemIndex.FIRST_ITEM_ROW && !excluded[row]) {
                excluded[row] = true;
                available--;
            }
        }
        int rank = 0;
        if (available <= NEGATIVES) {
            for (int row = ItemIndex.FIRST_ITEM_ROW; row < scores.length; row++) {
                if (!excluded[row] && scores[row] > targetScore) {
                    rank++;
                }
            }
            return rank;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int drawn = 0; drawn < NEGATIVES; ) {
            int row = random.nextInt(ItemIndex.FIRST_ITEM_ROW, scores.length);
            if (!excluded[row]) {
                excluded[row] = true;
                drawn++;
                if (scores[row] > targetScore) {
                    rank++;
                }
            }
        }
        return rank;
    }
}

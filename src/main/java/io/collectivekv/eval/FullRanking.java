package io.collectivekv.eval;

import io.collectivekv.data.ItemIndex;

/**
 * Ranks the target against the whole catalogue. Items of the user's history are masked (recommending
 * what the user already has is not the task), except the target itself if it occurs there. Rows 0 and 1
 * (padding, unknown) are never candidates. Ties count in the target's favour: only strictly higher
 * scores push it down, as in most public evaluation code.
 */
final class FullRanking {

    private FullRanking() {
    }

    /** The 0-based rank of {@code target} among the unmasked catalogue rows. */
    static int rank(float[] scores, int target, int[] history) {
        float targetScore = TargetScore.of(scores, target);
        boolean[] masked = new boolean[scores.length];
        for (int row : history) {
            masked[row] = true;
        }
        masked[target] = false;
        int rank = 0;
        for (int row = ItemIndex.FIRST_ITEM_ROW; row < scores.length; row++) {
            if (!masked[row] && scores[row] > targetScore) {
                rank++;
            }
        }
        return rank;
    }
}

package io.collectivekv.eval;

import java.util.Arrays;
import java.util.List;

/** A baseline that ignores the history: every row scores its number of training interactions. */
public final class PopularityScorer implements SequenceScorer {
    private final float[] counts;

    public PopularityScorer(List<int[]> training, int tableRows) {
        counts = new float[tableRows];
        for (int[] sequence : training) {
            for (int row : sequence) {
                counts[row]++;
            }
        }
    }

    @Override
    public float[][] scores(List<int[]> histories) {
        float[][] scores = new float[histories.size()][];
        Arrays.setAll(scores, i -> counts.clone());
        return scores;
    }
}

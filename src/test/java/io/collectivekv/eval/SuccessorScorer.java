package io.collectivekv.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A first-order baseline: scores each row by how often it followed the history's last item in training,
 * breaking ties by popularity. Beating {@link PopularityScorer} shows that data has sequential structure.
 */
public final class SuccessorScorer implements SequenceScorer {
    /** Small enough that popularity never outweighs one observed transition. */
    private static final float POPULARITY_WEIGHT = 1e-6f;

    private final float[] popularity;
    private final List<Map<Integer, Integer>> followers;

    public SuccessorScorer(List<int[]> training, int tableRows) {
        popularity = new float[tableRows];
        followers = new ArrayList<>(tableRows);
        for (int row = 0; row < tableRows; row++) {
            followers.add(new HashMap<>());
        }
        for (int[] sequence : training) {
            for (int t = 0; t < sequence.length; t++) {
                popularity[sequence[t]] += POPULARITY_WEIGHT;
                if (t > 0) {
                    followers.get(sequence[t - 1]).merge(sequence[t], 1, Integer::sum);
                }
            }
        }
    }

    @Override
    public float[][] scores(List<int[]> histories) {
        float[][] scores = new float[histories.size()][];
        for (int i = 0; i < scores.length; i++) {
            int[] history = histories.get(i);
            float[] row = popularity.clone();
            if (history.length > 0) {
                followers.get(history[history.length - 1]).forEach((next, count) -> row[next] += count);
            }
            scores[i] = row;
        }
        return scores;
    }
}

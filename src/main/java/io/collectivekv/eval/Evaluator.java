package io.collectivekv.eval;

import java.util.Arrays;
import java.util.List;

/**
 * Scores held-out cases in batches and ranks each target under both protocols. The items masked in the
 * full ranking and excluded from the sampled negatives are the whole history given to the scorer, even
 * if the model only reads a suffix of it. The sampled negatives of a user are seeded with
 * {@code seed ^ user}, so they do not depend on the batch size or on which users are evaluated.
 */
public final class Evaluator {
    private final int batchSize;
    private final long seed;
    private final int maskedSuffix;

    public Evaluator(int batchSize, long seed) {
        this(batchSize, seed, 0);
    }

    /**
     * @param maskedSuffix mask only the last this-many items of each history (what a streaming job that
     *                     keeps a window of W items can exclude); 0 masks the whole history
     */
    public Evaluator(int batchSize, long seed, int maskedSuffix) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (maskedSuffix < 0) {
            throw new IllegalArgumentException("masked suffix must be ≥ 0, got " + maskedSuffix);
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.maskedSuffix = maskedSuffix;
    }

    public EvaluationReport evaluate(SequenceScorer scorer, EvaluationCases cases) {
        RankingMetrics full = new RankingMetrics();
        RankingMetrics sampled = new RankingMetrics();
        for (int from = 0; from < cases.size(); from += batchSize) {
            int to = Math.min(cases.size(), from + batchSize);
            List<int[]> histories = cases.histories(from, to);
            float[][] scores = scorer.scores(histories);
            if (scores.length != histories.size()) {
                throw new IllegalStateException("the scorer returned " + scores.length + " rows for " + histories.size() + " histories");
            }
            for (int i = from; i < to; i++) {
                float[] row = scores[i - from];
                if (row.length != cases.tableRows()) {
                    throw new IllegalStateException("a scores row has length " + row.length + ", expected " + cases.tableRows() + " (N + 2)");
                }
                int[] masked = masked(cases.history(i));
                full.add(FullRanking.rank(row, cases.target(i), masked));
                sampled.add(SampledRanking.rank(row, cases.target(i), masked, seed ^ cases.user(i)));
            }
        }
        return new EvaluationReport(full, sampled);
    }

    private int[] masked(int[] history) {
        return maskedSuffix == 0 || history.length <= maskedSuffix
                ? history
                : Arrays.copyOfRange(history, history.length - maskedSuffix, history.length);
    }
}

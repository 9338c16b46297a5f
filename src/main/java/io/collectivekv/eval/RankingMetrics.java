package io.collectivekv.eval;

import java.util.Locale;

/**
 * Accumulates the 0-based rank of each held-out target (0 = ranked first) into hit rate and NDCG at 10
 * and 20, and mean reciprocal rank. With one relevant item, NDCG@k = 1/log2(rank + 2) if rank < k.
 * An empty accumulator reports zeros.
 */
public final class RankingMetrics {
    private int count;
    private double hits10;
    private double hits20;
    private double ndcg10;
    private double ndcg20;
    private double reciprocalRanks;

    public void add(int rank) {
        if (rank < 0) {
            throw new IllegalArgumentException("rank must be >= 0, got " + rank);
        }
        double gain = Math.log(2) / Math.log(rank + 2);
        count++;
        if (rank < 10) {
            hits10++;
            ndcg10 += gain;
        }
        if (rank < 20) {
            hits20++;
            ndcg20 += gain;
        }
        reciprocalRanks += 1.0 / (rank + 1);
    }

    /** Adds {@code other}'s ranks to this accumulator and returns it. */
    public RankingMetrics merge(RankingMetrics other) {
        count += other.count;
        hits10 += other.hits10;
        hits20 += other.hits20;
        ndcg10 += other.ndcg10;
        ndcg20 += other.ndcg20;
        reciprocalRanks += other.reciprocalRanks;
        return this;
    }

    public int count() {
        return count;
    }

    public double hr10() {
        return mean(hits10);
    }

    public double ndcg10() {
        return mean(ndcg10);
    }

    public double hr20() {
        return mean(hits20);
    }

    public double ndcg20() {
        return mean(ndcg20);
    }

    public double mrr() {
        return mean(reciprocalRanks);
    }

    private double mean(double sum) {
        return count == 0 ? 0 : sum / count;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "HR@10=%.4f NDCG@10=%.4f HR@20=%.4f NDCG@20=%.4f MRR=%.4f (n=%d)",
                hr10(), ndcg10(), hr20(), ndcg20(), mrr(), count);
    }
}

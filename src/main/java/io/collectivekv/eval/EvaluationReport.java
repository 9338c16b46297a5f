package io.collectivekv.eval;

/** The metrics of one evaluation under both protocols: full catalogue ranking and 100 sampled negatives. */
public record EvaluationReport(RankingMetrics full, RankingMetrics sampled) {

    @Override
    public String toString() {
        return "full ranking: " + full + "; sampled (" + SampledRanking.NEGATIVES + " negatives): " + sampled;
    }
}

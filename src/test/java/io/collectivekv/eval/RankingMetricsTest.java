package io.collectivekv.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RankingMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void computesMetricsByHand() {
        RankingMetrics m = metrics(0, 4, 15, 30);
        double log2of6 = Math.log(6) / Math.log(2);
        double log2of17 = Math.log(17) / Math.log(2);
        assertEquals(4, m.count());
        assertEquals(0.5, m.hr10(), EPS);
        assertEquals(0.75, m.hr20(), EPS);
        assertEquals((1 + 1 / log2of6) / 4, m.ndcg10(), EPS);
        assertEquals((1 + 1 / log2of6 + 1 / log2of17) / 4, m.ndcg20(), EPS);
        assertEquals((1 + 1.0 / 5 + 1.0 / 16 + 1.0 / 31) / 4, m.mrr(), EPS);
    }

    @Test
    void rankNineIsInTheTopTenAndRankTenIsNot() {
        assertEquals(1.0, metrics(9).hr10(), EPS);
        assertEquals(0.0, metrics(10).hr10(), EPS);
        assertEquals(1.0, metrics(19).hr20(), EPS);
        assertEquals(0.0, metrics(20).hr20(), EPS);
    }

    @Test
    void mergeEqualsAddingEverything() {
        RankingMetrics merged = metrics(0, 4).merge(metrics(15, 30));
        assertEquals(metrics(0, 4, 15, 30).toString(), merged.toString());
        assertEquals(4, merged.count());
    }

    @Test
    void emptyReportsZerosAndReadsWell() {
        assertEquals("HR@10=0.0000 NDCG@10=0.0000 HR@20=0.0000 NDCG@20=0.0000 MRR=0.0000 (n=0)", new RankingMetrics().toString());
        assertEquals("HR@10=1.0000 NDCG@10=1.0000 HR@20=1.0000 NDCG@20=1.0000 MRR=1.0000 (n=1)", metrics(0).toString());
    }

    @Test
    void rejectsNegativeRanks() {
        assertThrows(IllegalArgumentException.class, () -> new RankingMetrics().add(-1));
    }

    private static RankingMetrics metrics(int... ranks) {
        RankingMetrics m = new RankingMetrics();
        for (int rank : ranks) {
            m.add(rank);
        }
        return m;
    }
}

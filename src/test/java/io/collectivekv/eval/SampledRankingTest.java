package io.collectivekv.eval;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampledRankingTest {
    private static final int TABLE_ROWS = 1_002;
    private static final int TARGET = 502;

    /** Score = row number, so the target beats exactly the rows below it. */
    private static float[] ascending(int rows) {
        float[] scores = new float[rows];
        for (int row = 0; row < rows; row++) {
            scores[row] = row;
        }
        return scores;
    }

    @Test
    void sameSeedSameRank() {
        float[] scores = ascending(TABLE_ROWS);
        Set<Integer> ranks = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            int rank = SampledRanking.rank(scores, TARGET, new int[0], seed);
            assertEquals(rank, SampledRanking.rank(scores, TARGET, new int[0], seed));
            ranks.add(rank);
        }
        assertTrue(ranks.size() > 1, "different seeds should draw different negatives");
    }

    @Test
    void drawsUniformlyFromTheCatalogue() {
        float[] scores = ascending(TABLE_ROWS);
        double mean = IntStream.range(0, 400).map(seed -> SampledRanking.rank(scores, TARGET, new int[0], seed)).average().orElseThrow();
        // Half of the 1,000 catalogue rows score higher than the target, so about 50 of 100 negatives do.
        assertEquals(50, mean, 2);
    }

    @Test
    void neverDrawsFromTheHistory() {
        float[] scores = ascending(TABLE_ROWS);
        int[] higher = IntStream.range(TARGET + 1, TABLE_ROWS).toArray();
        for (long seed = 0; seed < 20; seed++) {
            assertEquals(0, SampledRanking.rank(scores, TARGET, higher, seed));
        }
    }

    @Test
    void smallCatalogueUsesEveryRemainingRow() {
        float[] scores = ascending(52);
        // Rows 31..51 are higher; the history hides 40 and 41 of them.
        assertEquals(19, SampledRanking.rank(scores, 30, new int[] {40, 41, 5}, 7));
    }
}

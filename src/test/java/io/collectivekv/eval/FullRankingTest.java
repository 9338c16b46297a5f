package io.collectivekv.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FullRankingTest {
    /** Rows 0 and 1 score highest but are never candidates; the target is row 3. */
    private static final float[] SCORES = {100f, 100f, 0.9f, 0.5f, 0.7f, 0.5f, 0.1f};
    private static final int TARGET = 3;

    @Test
    void countsStrictlyHigherCatalogueRows() {
        // Rows 2 and 4 are higher; row 5 ties and counts for the target.
        assertEquals(2, FullRanking.rank(SCORES, TARGET, new int[0]));
    }

    @Test
    void masksTheHistoryButNeverTheTarget() {
        assertEquals(1, FullRanking.rank(SCORES, TARGET, new int[] {2, 3, 2, 6}));
        assertEquals(0, FullRanking.rank(SCORES, TARGET, new int[] {4, 2}));
    }

    @Test
    void refusesNanAndReservedTargets() {
        float[] nan = SCORES.clone();
        nan[TARGET] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> FullRanking.rank(nan, TARGET, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> FullRanking.rank(SCORES, 1, new int[0]));
    }
}

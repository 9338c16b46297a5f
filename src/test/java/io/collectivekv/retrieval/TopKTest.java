package io.collectivekv.retrieval;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class TopKTest {

    @Test
    void returnsTheBestRowsBestFirstWithTheirScores() {
        float[] scores = {0, 0, 1, 5, 3, 4, -2};
        RankedItems top = TopK.select(scores, 3, null);
        assertArrayEquals(new int[] {3, 5, 4}, top.rows());
        assertArrayEquals(new float[] {5, 4, 3}, top.scores());
    }

    @Test
    void equalScoresRankTheLowerRowFirst() {
        float[] scores = {0, 0, 2, 7, 7, 2, 7, 1};
        assertArrayEquals(new int[] {3, 4, 6, 2, 5}, TopK.select(scores, 5, null).rows());
    }

    @Test
    void aTieAtTheCutKeepsTheLowerRow() {
        float[] scores = {0, 0, 1, 3, 3, 3, 9};
        assertArrayEquals(new int[] {6, 3}, TopK.select(scores, 2, null).rows());
    }

    @Test
    void paddingAndUnknownRowsAreNeverReturned() {
        float[] scores = {100, 100, 1, 2};
        assertArrayEquals(new int[] {3, 2}, TopK.select(scores, 4, null).rows());
    }

    @Test
    void excludedRowsAreSkipped() {
        float[] scores = {0, 0, 1, 5, 3, 4};
        BitSet seen = new BitSet();
        seen.set(3);
        seen.set(4);
        RankedItems top = TopK.select(scores, 3, seen);
        assertArrayEquals(new int[] {5, 2}, top.rows());
        assertArrayEquals(new float[] {4, 1}, top.scores());
    }

    @Test
    void kLargerThanTheCandidatesReturnsEveryCandidate() {
        float[] scores = {0, 0, 2, 1, 3};
        assertArrayEquals(new int[] {4, 2, 3}, TopK.select(scores, 10, null).rows());

        BitSet everything = new BitSet();
        everything.set(0, scores.length);
        assertArrayEquals(new int[0], TopK.select(scores, 10, everything).rows());
    }
}

package io.collectivekv.eval;

import io.collectivekv.data.EncodedSequences;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.data.UserSequences;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LeaveOneOutSplitTest {

    /** Ids 2..7 are numeric and all present, so item k gets row k. */
    private static LeaveOneOutSplit split() {
        Map<String, List<String>> itemsByUser = new LinkedHashMap<>();
        itemsByUser.put("a", List.of("2", "3", "4", "5"));
        itemsByUser.put("short", List.of("6", "7"));
        itemsByUser.put("b", List.of("2", "4", "6"));
        UserSequences data = UserSequences.of(itemsByUser);
        return LeaveOneOutSplit.of(EncodedSequences.encode(data, ItemIndex.of(data)));
    }

    @Test
    void trainingDropsTheLastTwoOfEvaluatedUsersOnly() {
        List<int[]> training = split().training();
        assertEquals(3, training.size());
        assertArrayEquals(new int[] {2, 3}, training.get(0));
        assertArrayEquals(new int[] {6, 7}, training.get(1));
        assertArrayEquals(new int[] {2}, training.get(2));
    }

    @Test
    void validationTargetsTheSecondToLast() {
        EvaluationCases validation = split().validation();
        assertEquals(2, validation.size());
        assertEquals(8, validation.tableRows());
        assertEquals(0, validation.user(0));
        assertArrayEquals(new int[] {2, 3}, validation.history(0));
        assertEquals(4, validation.target(0));
        assertEquals(2, validation.user(1));
        assertArrayEquals(new int[] {2}, validation.history(1));
        assertEquals(4, validation.target(1));
    }

    @Test
    void testTargetsTheLast() {
        EvaluationCases test = split().test();
        assertArrayEquals(new int[] {2, 3, 4}, test.history(0));
        assertEquals(5, test.target(0));
        assertArrayEquals(new int[] {2, 4}, test.history(1));
        assertEquals(6, test.target(1));
    }

    @Test
    void firstKeepsTheLeadingCases() {
        EvaluationCases first = split().test().first(1);
        assertEquals(1, first.size());
        assertEquals(5, first.target(0));
        assertEquals(2, split().test().first(10).size());
    }
}

package io.collectivekv.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluatorTest {
    private static final LeaveOneOutSplit SPLIT = SyntheticSplit.small();

    @Test
    void popularityGetsSensibleNonzeroScores() {
        EvaluationCases test = SPLIT.test();
        EvaluationReport report = new Evaluator(128, 1).evaluate(new PopularityScorer(SPLIT.training(), test.tableRows()), test);
        assertEquals(test.size(), report.full().count());
        assertEquals(test.size(), report.sampled().count());
        assertTrue(report.full().hr10() > 0.01 && report.full().hr10() < 0.5, report.toString());
        assertTrue(report.sampled().hr10() > report.full().hr10(), report.toString());
    }

    @Test
    void resultsDoNotDependOnTheBatchSize() {
        EvaluationCases validation = SPLIT.validation();
        SequenceScorer scorer = new SuccessorScorer(SPLIT.training(), validation.tableRows());
        String oneByOne = new Evaluator(1, 3).evaluate(scorer, validation).toString();
        assertEquals(oneByOne, new Evaluator(333, 3).evaluate(scorer, validation).toString());
    }

    @Test
    void capEvaluatesTheFirstUsers() {
        EvaluationCases validation = SPLIT.validation().first(100);
        SequenceScorer scorer = new PopularityScorer(SPLIT.training(), validation.tableRows());
        assertEquals(100, new Evaluator(64, 1).evaluate(scorer, validation).full().count());
    }

    @Test
    void rejectsScoresOfTheWrongShape() {
        EvaluationCases test = SPLIT.test().first(4);
        Evaluator evaluator = new Evaluator(4, 1);
        assertThrows(IllegalStateException.class, () -> evaluator.evaluate(histories -> new float[3][test.tableRows()], test));
        assertThrows(IllegalStateException.class, () -> evaluator.evaluate(histories -> new float[4][test.tableRows() - 1], test));
    }

    @Test
    void scorerSeesTheWholeHistory() {
        EvaluationCases test = SPLIT.test().first(3);
        new Evaluator(2, 1).evaluate(histories -> {
            List<int[]> expected = List.of(test.history(0), test.history(1), test.history(2));
            histories.forEach(h -> assertTrue(expected.contains(h)));
            return new float[histories.size()][test.tableRows()];
        }, test);
    }
}

package io.collectivekv.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The synthetic data has order a model can learn: knowing the last item beats knowing only popularity. */
class SequentialStructureTest {

    @Test
    void mostFrequentSuccessorBeatsPopularity() {
        LeaveOneOutSplit split = SyntheticSplit.small();
        EvaluationCases test = split.test();
        Evaluator evaluator = new Evaluator(256, 1);
        EvaluationReport popularity = evaluator.evaluate(new PopularityScorer(split.training(), test.tableRows()), test);
        EvaluationReport successor = evaluator.evaluate(new SuccessorScorer(split.training(), test.tableRows()), test);
        assertTrue(successor.full().ndcg10() > 2 * popularity.full().ndcg10(), "successor " + successor + " vs popularity " + popularity);
    }
}

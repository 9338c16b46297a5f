package io.collectivekv.inference;

import io.collectivekv.eval.SequenceScorer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Scores each whole history with the streaming job's semantics (a step per event, evicting past W),
 * through the banded prefill graph. Histories are grouped by length so padding stays small.
 */
public final class SlidingWindowScorer implements SequenceScorer {
    /** Tokens per ORT call (batch × longest history): bounds memory for long histories. */
    private static final int TOKENS_PER_CALL = 16_384;

    private final ModelSession session;

    public SlidingWindowScorer(ModelSession session) {
        this.session = session;
    }

    @Override
    public float[][] scores(List<int[]> histories) {
        float[][] out = new float[histories.size()][];
        List<Integer> order = IntStream.range(0, histories.size()).boxed()
                .sorted(Comparator.comparingInt(i -> histories.get(i).length)).toList();
        int from = 0;
        while (from < order.size()) {
            int to = from;
            List<int[]> group = new ArrayList<>();
            while (to < order.size() && (group.isEmpty()
                    || (long) (group.size() + 1) * histories.get(order.get(to)).length <= TOKENS_PER_CALL)) {
                group.add(histories.get(order.get(to++)));
            }
            List<Inference> scored = session.scoreWholeHistories(group);
            for (int k = 0; k < group.size(); k++) {
                out[order.get(from + k)] = scored.get(k).scores();
            }
            from = to;
        }
        return out;
    }
}

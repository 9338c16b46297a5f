package io.collectivekv.inference;

import io.collectivekv.eval.SequenceScorer;
import java.util.List;

/**
 * Scores histories with a served model's prefill (each history's last W items), so offline
 * evaluation measures exactly the graph the job runs.
 */
public final class PrefillScorer implements SequenceScorer {
    private final ModelSession session;

    public PrefillScorer(ModelSession session) {
        this.session = session;
    }

    @Override
    public float[][] scores(List<int[]> histories) {
        return session.prefill(histories).stream().map(Inference::scores).toArray(float[][]::new);
    }
}

package io.collectivekv.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.collectivekv.inference.Inference;
import io.collectivekv.nn.SequenceModel;
import java.util.List;

/**
 * A trained model's eval-mode forward on the PyTorch engine, over whole sequences: the reference
 * the exported graphs are held to (parity tests) and a scorer for offline evaluation.
 */
public final class ReferenceForward implements AutoCloseable {
    private final NDManager root;
    private final ModelParameters parameters;
    private final EvalForward forward;

    public ReferenceForward(TrainedModel trained) {
        SequenceModel model = new SequenceModel(trained.config(), 0f);
        this.root = Engine.getEngine(Trainer.ENGINE).newBaseManager();
        this.parameters = new ModelParameters(root, model.parameters(), trained.weights());
        this.forward = new EvalForward(model, parameters.arrays(), root, Integer.MAX_VALUE);
    }

    /** Per sequence: the cache a step-by-step run would hold after it, and the scores after its last item. */
    public List<Inference> run(List<int[]> sequences) {
        return forward.run(sequences);
    }

    @Override
    public void close() {
        parameters.close();
        root.close();
    }
}

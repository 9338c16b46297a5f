package io.collectivekv.train;

import io.collectivekv.data.ItemIndex;
import io.collectivekv.eval.EvaluationReport;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.Weights;
import java.time.Duration;

/**
 * What training produces: the weights of the best validation epoch and how they were chosen.
 *
 * @param validation metrics of the best epoch on the validation split
 * @param bestEpoch  1-based epoch whose weights these are
 * @param epochs     epochs run before early stopping
 * @param training   how it was trained (not part of the served function; the artifact records a few of its fields)
 */
public record TrainedModel(
        ModelConfig config,
        Weights weights,
        ItemIndex items,
        EvaluationReport validation,
        int bestEpoch,
        int epochs,
        TrainingConfig training,
        Duration trainingTime) {

    /** The same model with {@code extra} more time spent making it (e.g. fitting its start). */
    public TrainedModel plusTime(Duration extra) {
        return new TrainedModel(config, weights, items, validation, bestEpoch, epochs, training, trainingTime.plus(extra));
    }
}

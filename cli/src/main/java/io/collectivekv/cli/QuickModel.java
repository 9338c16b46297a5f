package io.collectivekv.cli;

import io.collectivekv.data.EncodedSequences;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.data.UserSequences;
import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.train.TrainedModel;
import io.collectivekv.train.Trainer;
import io.collectivekv.train.BalanceLoss;
import io.collectivekv.train.LearningRateSchedule;
import io.collectivekv.train.TrainingConfig;
import java.io.PrintStream;

/** The small model that `demo` and `run` train on the spot: well under a minute on two cores. */
final class QuickModel {
    static final ModelConfig SHAPE = new ModelConfig(Encoder.HSTU, KvMode.COLLECTIVE, 32, 2, 2, 2, 128, 50, 1, 16);
    static final TrainingConfig TRAINING = new TrainingConfig(8, 128, 3e-3f, LearningRateSchedule.CONSTANT, 128, 0.1f, 50, 3, 1f, 1f, BalanceLoss.KL, 0.01f, 500, 1f, 42L);

    private QuickModel() {}

    /** @param progress where the progress bar and epoch lines go */
    static TrainedModel train(UserSequences users, PrintStream progress) {
        ItemIndex index = ItemIndex.of(users);
        return new Trainer(SHAPE.withItems(index.size()), TRAINING, progress).train(EncodedSequences.encode(users, index));
    }
}

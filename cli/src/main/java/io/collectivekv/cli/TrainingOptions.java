package io.collectivekv.cli;

import io.collectivekv.train.BalanceLoss;
import io.collectivekv.train.LearningRateSchedule;
import io.collectivekv.train.TrainingConfig;
import picocli.CommandLine.Option;

/** Training hyper-parameters as flags; defaults are {@link TrainingConfig#defaults}. */
final class TrainingOptions {
    private static final TrainingConfig DEFAULTS = TrainingConfig.defaults();

    @Option(names = "--epochs", description = "maximum epochs; 0 with --init-from exports the start as it is (default: ${DEFAULT-VALUE})")
    int epochs = DEFAULTS.epochs();

    @Option(names = "--batch-size", description = "users per batch (default: ${DEFAULT-VALUE})")
    int batchSize = DEFAULTS.batchSize();

    @Option(names = "--learning-rate", description = "Adam step size (default: ${DEFAULT-VALUE})")
    float learningRate = DEFAULTS.learningRate();

    @Option(names = "--lr-schedule", description = "constant | cosine: the step size over the epoch budget (default: ${DEFAULT-VALUE})")
    String schedule = DEFAULTS.schedule().id();

    @Option(names = "--negatives", description = "sampled negatives per batch (default: ${DEFAULT-VALUE})")
    int negatives = DEFAULTS.negatives();

    @Option(names = "--dropout", description = "dropout rate (default: ${DEFAULT-VALUE})")
    float dropout = DEFAULTS.dropout();

    @Option(names = "--max-length", description = "most recent training tokens per user (default: ${DEFAULT-VALUE})")
    int maxLength = DEFAULTS.maxLength();

    @Option(names = "--patience", description = "epochs without a better validation NDCG@10 before stopping (default: ${DEFAULT-VALUE})")
    int patience = DEFAULTS.patience();

    @Option(names = "--lambda-peak", description = "router peak-loss weight (default: ${DEFAULT-VALUE})")
    float lambdaPeak = DEFAULTS.lambdaPeak();

    @Option(names = "--lambda-balance", description = "router balance-loss weight (default: ${DEFAULT-VALUE})")
    float lambdaBalance = DEFAULTS.lambdaBalance();

    @Option(names = "--balance-loss", description = "kl | load: the router balance loss, on the router's probabilities or on its argmax (default: ${DEFAULT-VALUE})")
    String balanceLoss = DEFAULTS.balanceLoss().id();

    @Option(names = "--unknown-rate", description = "share of inputs replaced by the unknown item (default: ${DEFAULT-VALUE})")
    float unknownRate = DEFAULTS.unknownRate();

    @Option(names = "--validation-users", description = "validation users per epoch, 0 = all (default: ${DEFAULT-VALUE})")
    int validationUsers = DEFAULTS.validationUsers();

    @Option(names = "--clip-norm", description = "clip gradients to this global L2 norm, 0 = off (default: ${DEFAULT-VALUE})")
    float clipNorm = DEFAULTS.clipNorm();

    @Option(names = "--seed", description = "seed of weights, batches, negatives and dropout (default: ${DEFAULT-VALUE})")
    long seed = DEFAULTS.seed();

    TrainingConfig toConfig() {
        return new TrainingConfig(epochs, batchSize, learningRate,
                LearningRateSchedule.parse("lr-schedule", schedule), negatives, dropout, maxLength, patience,
                lambdaPeak, lambdaBalance, BalanceLoss.parse("balance-loss", balanceLoss), unknownRate, validationUsers, clipNorm, seed);
    }
}

package io.collectivekv.train;

import io.collectivekv.model.ConfigException;

/**
 * How a model is trained (not part of the model's function, so not in the artifact's config).
 *
 * @param epochs          upper bound on passes over the training users; 0 keeps a given start as it is
 * @param batchSize       users per batch
 * @param learningRate    Adam's step size (its peak, under a schedule)
 * @param schedule        how the step size moves over the epoch budget
 * @param negatives       uniformly sampled negatives per batch for the sampled softmax
 * @param dropout         dropout rate on embeddings, attention and block outputs
 * @param maxLength       training tokens per user (the most recent ones)
 * @param patience        epochs without a better validation NDCG@10 before stopping
 * @param lambdaPeak      weight of the router peak loss (DESIGN §2)
 * @param lambdaBalance   weight of the router balance loss (DESIGN §2)
 * @param balanceLoss     which balance loss: the soft KL of DESIGN §2 or the hard-load loss
 * @param unknownRate     share of input items replaced by the unknown row, so it learns to mean "something new"
 * @param validationUsers at most this many validation users per evaluation (0 = all)
 * @param clipNorm        gradients are scaled down to this global L2 norm when larger (0 = no clipping)
 * @param seed            seeds weights, shuffling, negatives, dropout
 */
public record TrainingConfig(
        int epochs,
        int batchSize,
        float learningRate,
        LearningRateSchedule schedule,
        int negatives,
        float dropout,
        int maxLength,
        int patience,
        float lambdaPeak,
        float lambdaBalance,
        BalanceLoss balanceLoss,
        float unknownRate,
        int validationUsers,
        float clipNorm,
        long seed) {

    public TrainingConfig {
        if (epochs < 0) {
            throw new ConfigException("epochs", Integer.toString(epochs), "an integer ≥ 0 (0 only with a start to keep as it is)");
        }
        positive("batch-size", batchSize);
        positive("negatives", negatives);
        positive("max-length", maxLength);
        positive("patience", patience);
        if (schedule == null) {
            throw new ConfigException("lr-schedule", "null", "a schedule");
        }
        if (balanceLoss == null) {
            throw new ConfigException("balance-loss", "null", "a balance loss");
        }
        if (!(learningRate > 0)) {
            throw new ConfigException("learning-rate", Float.toString(learningRate), "a positive number");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new ConfigException("dropout", Float.toString(dropout), "a number in [0, 1)");
        }
        if (!(unknownRate >= 0 && unknownRate < 1)) {
            throw new ConfigException("unknown-rate", Float.toString(unknownRate), "a number in [0, 1)");
        }
        if (lambdaPeak < 0 || lambdaBalance < 0) {
            throw new ConfigException("lambda-peak/lambda-balance", lambdaPeak + "/" + lambdaBalance, "numbers ≥ 0");
        }
        if (!(clipNorm >= 0)) {
            throw new ConfigException("clip-norm", Float.toString(clipNorm), "a number ≥ 0");
        }
        if (validationUsers < 0) {
            throw new ConfigException("validation-users", Integer.toString(validationUsers), "an integer ≥ 0");
        }
    }

    /**
     * The recipe of QUALITY.md's headline ML-1M row. Small batches win on two cores: a batch of 32
     * users costs less time per epoch than one of 128 (the attention tensors stay in cache) and
     * gives four times the updates; lr 2e-3 with clipping at norm 1 converges about 4× faster than
     * 1e-3 unclipped, and its cosine decay over the 30 epochs gains most in the last few. Validation
     * on 1,000 users keeps the per-epoch evaluation short.
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(30, 32, 2e-3f, LearningRateSchedule.COSINE, 256, 0.2f, 200, 6, 1f, 1f, BalanceLoss.KL, 0.01f, 1000, 1f, 42L);
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new ConfigException(key, Integer.toString(value), "an integer > 0");
        }
    }
}

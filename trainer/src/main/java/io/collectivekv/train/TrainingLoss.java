package io.collectivekv.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import io.collectivekv.nn.LayerEntries;
import io.collectivekv.nn.SequenceModel;

/**
 * L = L_rec + λ_peak · Σ mean(−log σ(r_{i,a_i})) + λ_bal · Σ balance(r), the sums running over the
 * key and value routers of every layer (DESIGN §2; {@link BalanceLoss} for the balance terms).
 * L_rec is a sampled softmax: the positive against K uniformly drawn negatives shared by the batch.
 */
final class TrainingLoss {
    /** Pushes a negative that happens to be the positive out of the softmax. */
    private static final float ACCIDENTAL_HIT = -1e9f;

    private final float lambdaPeak;
    private final float lambdaBalance;
    private final BalanceLoss balanceLoss;

    TrainingLoss(float lambdaPeak, float lambdaBalance, BalanceLoss balanceLoss) {
        this.lambdaPeak = lambdaPeak;
        this.lambdaBalance = lambdaBalance;
        this.balanceLoss = balanceLoss;
    }

    /**
     * @param hidden    (B, T, d)
     * @param targets   (B, T) int64
     * @param negatives (K) int64
     * @param mask      (B, T) 1 on real tokens
     */
    Parts compute(DjlOps ops, SequenceModel.Forward<NDArray> fwd, NDArray targets, NDArray negatives, NDArray mask) {
        NDArray table = ops.parameter(SequenceModel.ITEM_EMBEDDING);
        NDArray hidden = fwd.hidden();
        NDArray positive = hidden.mul(ops.embed(table, targets)).sum(new int[] {-1}, true);  // (B, T, 1)
        NDArray negative = ops.matmulTransposed(hidden, ops.embed(table, negatives));         // (B, T, K)
        NDArray hits = targets.expandDims(-1).eq(negatives).toType(DataType.FLOAT32, false);
        negative = negative.add(hits.mul(ACCIDENTAL_HIT));
        NDArray logits = positive.concat(negative, -1);                                      // (B, T, 1 + K)
        NDArray nll = logits.logSoftmax(-1).get("..., 0").neg();                              // (B, T)
        NDArray tokens = mask.sum();
        NDArray recommendation = nll.mul(mask).sum().div(tokens);

        NDArray peak = recommendation.zerosLike();
        NDArray balance = recommendation.zerosLike();
        for (LayerEntries<NDArray> e : fwd.entries()) {
            if (e.keyLogits() == null) {
                continue;
            }
            peak = peak.add(peak(e.keyLogits(), mask, tokens)).add(peak(e.valueLogits(), mask, tokens));
            balance = balance.add(balanceLoss.of(e.keyLogits(), e.keyIndex(), mask, tokens))
                    .add(balanceLoss.of(e.valueLogits(), e.valueIndex(), mask, tokens));
        }
        NDArray total = recommendation.add(peak.mul(lambdaPeak)).add(balance.mul(lambdaBalance));
        return new Parts(total, recommendation, peak, balance);
    }

    /** −log σ(max r) = softplus(−max r), averaged over real tokens; r is (B, T, m). */
    private static NDArray peak(NDArray r, NDArray mask, NDArray tokens) {
        return Activation.softPlus(r.max(new int[] {-1}).neg()).mul(mask).sum().div(tokens);
    }

    /** The total to differentiate and its terms, for the progress display. */
    record Parts(NDArray total, NDArray recommendation, NDArray peak, NDArray balance) {}
}

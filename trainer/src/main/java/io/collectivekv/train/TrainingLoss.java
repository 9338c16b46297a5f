package io.collectivekv.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import io.collectivekv.nn.LayerEntries;
import io.collectivekv.nn.SequenceModel;
import java.util.List;

/**
 * L = L_rec + λ_peak · Σ mean(−log σ(r_{i,a_i})) + λ_bal · Σ KL(mean_i softmax(r_i) ‖ uniform_m),
 * the sums running over the key and value routers of every layer (DESIGN §2). L_rec is a sampled
 * softmax: the positive against K uniformly drawn negatives shared by the batch.
 */
final class TrainingLoss {
    /** Pushes a negative that happens to be the positive out of the softmax. */
    private static final float ACCIDENTAL_HIT = -1e9f;

    private final float lambdaPeak;
    private final float lambdaBalance;

    TrainingLoss(float lambdaPeak, float lambdaBalance) {
        this.lambdaPeak = lambdaPeak;
        this.lambdaBalance = lambdaBalance;
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
            for (NDArray r : routerLogits(e)) {
                // −log σ(max r) = softplus(−max r), averaged over real tokens.
                NDArray maxLogit = r.max(new int[] {-1});                                       // (B, T)
                peak = peak.add(Activation.softPlus(maxLogit.neg()).mul(mask).sum().div(tokens));
                NDArray mean = r.softmax(-1).mul(mask.expandDims(-1)).sum(new int[] {0, 1}).div(tokens); // (m)
                long m = r.getShape().get(r.getShape().dimension() - 1);
                balance = balance.add(mean.mul(mean.add(1e-9f).log().add((float) Math.log(m))).sum());
            }
        }
        NDArray total = recommendation.add(peak.mul(lambdaPeak)).add(balance.mul(lambdaBalance));
        return new Parts(total, recommendation, peak, balance);
    }

    private static List<NDArray> routerLogits(LayerEntries<NDArray> e) {
        return e.keyLogits() == null ? List.of() : List.of(e.keyLogits(), e.valueLogits());
    }

    /** The total to differentiate and its terms, for the progress display. */
    record Parts(NDArray total, NDArray recommendation, NDArray peak, NDArray balance) {}
}

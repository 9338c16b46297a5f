package io.collectivekv.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.collectivekv.model.ConfigChoice;

/**
 * The router term that keeps the pool in use (DESIGN §2), for one router of m entries. Each is 0
 * when the use is uniform.
 */
public enum BalanceLoss implements ConfigChoice {
    /**
     * DESIGN §2's KL(mean_i softmax(r_i) ‖ uniform_m): balances the router's probabilities. A router
     * can satisfy it with nearly flat logits while its argmax, the entry the cache stores, uses a
     * small part of the pool: {@code ckv pool-usage} finds a perplexity of about 100 of 1,024
     * entries in the second layer of a model trained with it (QUALITY.md).
     */
    KL,
    /**
     * The Switch Transformer's load loss, m · Σ_j f_j · P_j − 1: f_j is the share of tokens whose
     * argmax is entry j (a count, no gradient), P_j the mean probability of j. Its gradient lowers
     * the logits of the entries the argmax overuses, so it balances the hard choice itself.
     */
    LOAD;

    /** The loss named {@code value}; an unknown name fails naming {@code key}. */
    public static BalanceLoss parse(String key, String value) {
        return ConfigChoice.parse(BalanceLoss.class, key, value);
    }

    /**
     * @param logits (B, T, m) router logits
     * @param index  (B, T) int64, the argmax of the logits
     * @param mask   (B, T) 1 on real tokens
     * @param tokens scalar, the number of real tokens
     */
    NDArray of(NDArray logits, NDArray index, NDArray mask, NDArray tokens) {
        long m = logits.getShape().get(logits.getShape().dimension() - 1);
        NDArray real = mask.expandDims(-1);                                                   // (B, T, 1)
        NDArray meanProbability = logits.softmax(-1).mul(real).sum(new int[] {0, 1}).div(tokens); // (m)
        return switch (this) {
            case KL -> meanProbability.mul(meanProbability.add(1e-9f).log().add((float) Math.log(m))).sum();
            case LOAD -> {
                NDArray load = index.oneHot((int) m, DataType.FLOAT32).mul(real).sum(new int[] {0, 1}).div(tokens); // (m)
                yield load.mul(meanProbability).sum().mul((float) m).sub(1f);
            }
        };
    }
}

package io.collectivekv.cache;

import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;

/**
 * How the caches of many users spread over the pool: per layer and side (key, value), how often
 * each of the m entries is the one a cached token stores. A router that sends most tokens to a
 * few entries gives away the capacity the pool was sized for, while its training loss may look
 * balanced (its soft probabilities can be uniform while its argmax is not).
 */
public final class PoolUsage {
    private final int poolSize;
    private final long[][] keyCounts;   // (L, m)
    private final long[][] valueCounts; // (L, m)

    public PoolUsage(ModelConfig config) {
        if (config.kvMode() != KvMode.COLLECTIVE) {
            throw new IllegalArgumentException("pool usage needs a collective model; this one is " + config.kvMode().id());
        }
        this.poolSize = config.poolSize();
        this.keyCounts = new long[config.layers()][poolSize];
        this.valueCounts = new long[config.layers()][poolSize];
    }

    /** Counts every token of {@code cache}. */
    public void add(KvCache cache) {
        for (int layer = 0; layer < keyCounts.length; layer++) {
            for (int t = 0; t < cache.length(); t++) {
                keyCounts[layer][cache.keyIndex(layer, t)]++;
                valueCounts[layer][cache.valueIndex(layer, t)]++;
            }
        }
    }

    public int layers() {
        return keyCounts.length;
    }

    public Side key(int layer) {
        return Side.of(keyCounts[layer]);
    }

    public Side value(int layer) {
        return Side.of(valueCounts[layer]);
    }

    public int poolSize() {
        return poolSize;
    }

    /**
     * One router's use of its pool.
     *
     * @param tokens     cached tokens counted
     * @param used       entries stored at least once
     * @param perplexity exp of the entropy of the entry frequencies: the number of equally used
     *                   entries that would spread tokens as evenly (m at best)
     * @param largest    share of tokens on the most used entry
     */
    public record Side(long tokens, int used, double perplexity, double largest) {
        static Side of(long[] counts) {
            long tokens = 0;
            long max = 0;
            int used = 0;
            for (long c : counts) {
                tokens += c;
                max = Math.max(max, c);
                used += c > 0 ? 1 : 0;
            }
            double entropy = 0;
            for (long c : counts) {
                if (c > 0) {
                    double q = (double) c / tokens;
                    entropy -= q * Math.log(q);
                }
            }
            return new Side(tokens, used, Math.exp(entropy), tokens == 0 ? 0 : (double) max / tokens);
        }
    }
}

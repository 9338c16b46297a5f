package io.collectivekv.nn;

/**
 * Maps a token distance (query position − key position, ≥ 0) to a bias bucket: the first half of
 * the buckets are exact distances, the rest grow logarithmically up to the window (as in T5). No
 * absolute positions anywhere, so an append-only cache never needs re-encoding when old tokens
 * are evicted.
 */
public final class RelativePositionBuckets {
    private final int buckets;
    private final int window;

    public RelativePositionBuckets(int buckets, int window) {
        this.buckets = buckets;
        this.window = window;
    }

    /** Bucket of a distance in [0, window); larger distances are clamped to the last bucket. */
    public int bucketOf(int distance) {
        int exact = Math.max(1, buckets / 2);
        if (distance < exact) {
            return Math.min(distance, buckets - 1);
        }
        double span = Math.log((double) Math.max(window, exact + 1) / exact);
        int logBucket = exact + (int) (Math.log((double) distance / exact) / span * (buckets - exact));
        return Math.min(logBucket, buckets - 1);
    }

    /** The bucket of every distance 0 … window − 1: a lookup table baked into graphs and batches. */
    public long[] table() {
        long[] t = new long[window];
        for (int dist = 0; dist < window; dist++) {
            t[dist] = bucketOf(dist);
        }
        return t;
    }
}

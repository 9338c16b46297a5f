package io.collectivekv.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PoolUsageTest {

    @Test
    void countsEachLayerAndSideOverEveryCachedToken() {
        // pool m = 16; layer 0 keys use entries 0..3 evenly, layer 0 values all entry 5,
        // layer 1 keys 3 of 4 tokens on entry 7, layer 1 values entries 8 and 9 twice each
        PoolUsage usage = new PoolUsage(KvCacheTest.COLLECTIVE);
        usage.add(cache(new int[] {0, 1, 7, 7}, new int[] {5, 5, 8, 9}));
        usage.add(cache(new int[] {2, 3, 7, 1}, new int[] {5, 5, 8, 9}));

        assertEquals(new PoolUsage.Side(4, 4, 4.0, 0.25), usage.key(0));
        assertEquals(new PoolUsage.Side(4, 1, 1.0, 1.0), usage.value(0));
        PoolUsage.Side skewed = usage.key(1);
        assertEquals(2, skewed.used());
        assertEquals(0.75, skewed.largest(), 1e-12);
        assertEquals(Math.exp(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25))), skewed.perplexity(), 1e-12);
        assertEquals(2.0, usage.value(1).perplexity(), 1e-12);
        assertEquals(16, usage.poolSize());
    }

    @Test
    void aFullModelHasNoPoolToMeasure() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PoolUsage(KvCacheTest.FULL));
        assertEquals("pool usage needs a collective model; this one is full", e.getMessage());
    }

    /** Two tokens, two layers: {@code keys} and {@code values} are layer-major (layer 0's two tokens first). */
    private static KvCache cache(int[] keys, int[] values) {
        return KvCache.of(KvCacheTest.COLLECTIVE, 2, keys, values, new float[2 * 2 * 2], new float[2 * 2 * 2]);
    }
}

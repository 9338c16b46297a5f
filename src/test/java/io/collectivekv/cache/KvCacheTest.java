package io.collectivekv.cache;

import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KvCacheTest {
    static final ModelConfig COLLECTIVE = new ModelConfig(Encoder.HSTU, KvMode.COLLECTIVE, 8, 2, 2, 2, 16, 4, 10, 4);
    static final ModelConfig FULL = COLLECTIVE.withKvMode(KvMode.FULL);

    @Test
    void appendStoresCollectiveEntriesLayerMajor() {
        KvCache cache = KvCache.empty(COLLECTIVE);
        cache.append(KvCache.of(COLLECTIVE, 1, new int[] {1, 2}, new int[] {3, 4},
                new float[] {0.1f, 0.2f, 1.1f, 1.2f}, new float[] {-0.1f, -0.2f, -1.1f, -1.2f}));
        cache.append(KvCache.of(COLLECTIVE, 1, new int[] {5, 6}, new int[] {7, 8},
                new float[] {0.3f, 0.4f, 1.3f, 1.4f}, new float[] {-0.3f, -0.4f, -1.3f, -1.4f}));

        KvCache expected = KvCache.of(COLLECTIVE, 2,
                new int[] {1, 5, 2, 6},
                new int[] {3, 7, 4, 8},
                new float[] {0.1f, 0.2f, 0.3f, 0.4f, 1.1f, 1.2f, 1.3f, 1.4f},
                new float[] {-0.1f, -0.2f, -0.3f, -0.4f, -1.1f, -1.2f, -1.3f, -1.4f});
        assertEquals(expected, cache);
    }

    @Test
    void appendMakesEachTokenTheNewestInEveryLayer() {
        for (ModelConfig config : new ModelConfig[] {COLLECTIVE, FULL}) {
            KvCache cache = KvCache.empty(config);
            for (int id = 0; id < 3; id++) {
                cache.append(tokens(config, id));
            }
            assertEquals(3, cache.length());
            assertHolds(config, cache, 0, 1, 2);
        }
    }

    @Test
    void dropOldestKeepsTheNewestTokensInEveryLayer() {
        for (ModelConfig config : new ModelConfig[] {COLLECTIVE, FULL}) {
            KvCache cache = tokens(config, 0, 1, 2, 3);
            cache.dropOldest(2);
            assertEquals(tokens(config, 2, 3), cache);
            assertHolds(config, cache, 2, 3);
        }
    }

    @Test
    void dropOldestThenAppendSlidesTheWindow() {
        KvCache cache = tokens(COLLECTIVE, 0, 1, 2, 3);
        cache.dropOldest(1);
        cache.append(tokens(COLLECTIVE, 4));
        assertEquals(tokens(COLLECTIVE, 1, 2, 3, 4), cache);
    }

    @Test
    void dropOldestBeyondTheLengthEmptiesTheCacheAndZeroIsANoOp() {
        KvCache cache = tokens(FULL, 0, 1);
        cache.dropOldest(0);
        assertEquals(tokens(FULL, 0, 1), cache);
        cache.dropOldest(5);
        assertEquals(KvCache.empty(FULL), cache);
    }

    @Test
    void appendRejectsATokenOfAnotherShapeOrLength() {
        KvCache cache = tokens(COLLECTIVE, 0);
        assertThrows(IllegalArgumentException.class, () -> cache.append(tokens(FULL, 1)));
        assertThrows(IllegalArgumentException.class, () -> cache.append(tokens(COLLECTIVE, 1, 2)));
        assertEquals(1, cache.length());
    }

    @Test
    void ofRejectsArraysThatDoNotMatchTheShape() {
        assertThrows(IllegalArgumentException.class,
                () -> KvCache.of(COLLECTIVE, 1, new int[2], new int[2], new float[4], new float[3]));
        assertThrows(IllegalArgumentException.class,
                () -> KvCache.of(FULL, 1, new int[2], new int[2], new float[16], new float[16]));
    }

    @Test
    void copyDoesNotShareStorageWithTheOriginal() {
        int[] keyIndex = {1, 2};
        float[] keyPart = {0.5f, 0.5f, 0.5f, 0.5f};
        KvCache original = KvCache.of(COLLECTIVE, 1, keyIndex, new int[] {3, 4}, keyPart, new float[4]);
        KvCache copy = original.copy();
        assertEquals(original, copy);

        keyIndex[0] = 9; // of() wraps the caller's arrays, so this changes the original only
        keyPart[3] = 7f;
        assertEquals(9, original.keyIndex(0, 0));
        assertEquals(1, copy.keyIndex(0, 0));
        float[] part = new float[2];
        copy.copyKeyPart(1, 0, part, 0);
        assertArrayEquals(new float[] {0.5f, 0.5f}, part);

        original.append(tokens(COLLECTIVE, 5));
        assertEquals(1, copy.length());
    }

    @Test
    void equalsComparesModeShapeAndContent() {
        KvCache cache = tokens(COLLECTIVE, 0, 1);
        assertEquals(tokens(COLLECTIVE, 0, 1), cache);
        assertEquals(tokens(COLLECTIVE, 0, 1).hashCode(), cache.hashCode());
        assertNotEquals(tokens(COLLECTIVE, 0, 2), cache);
        assertNotEquals(tokens(COLLECTIVE, 0), cache);
        assertNotEquals(KvCache.empty(FULL), KvCache.empty(COLLECTIVE));


        KvCache zeros = KvCache.of(COLLECTIVE, 1, new int[] {1, 2}, new int[] {3, 4}, new float[4], new float[4]);
        KvCache otherValueIndex = KvCache.of(COLLECTIVE, 1, new int[] {1, 2}, new int[] {3, 5}, new float[4], new float[4]);
        KvCache otherValuePart = KvCache.of(COLLECTIVE, 1, new int[] {1, 2}, new int[] {3, 4}, new float[4], new float[] {0, 0, 0, 1});
        assertNotEquals(otherValueIndex, zeros);
        assertNotEquals(otherValuePart, zeros);
    }

    /** A cache of the given token ids, built directly in the documented layer-major layout. */
    static KvCache tokens(ModelConfig config, int... ids) {
        int layers = config.layers();
        int n = ids.length;
        int w = KvCache.entryWidth(config);
        boolean collective = config.kvMode() == KvMode.COLLECTIVE;
        int[] keyIndex = new int[collective ? layers * n : 0];
        int[] valueIndex = new int[keyIndex.length];
        float[] keyPart = new float[layers * n * w];
        float[] valuePart = new float[keyPart.length];
        for (int l = 0; l < layers; l++) {
            for (int t = 0; t < n; t++) {
                if (collective) {
                    keyIndex[l * n + t] = keyIndex(l, ids[t]);
                    valueIndex[l * n + t] = valueIndex(l, ids[t]);
                }
                for (int j = 0; j < w; j++) {
                    keyPart[(l * n + t) * w + j] = keyFloat(l, ids[t], j);
                    valuePart[(l * n + t) * w + j] = -keyFloat(l, ids[t], j);
                }
            }
        }
        return KvCache.of(config, n, keyIndex, valueIndex, keyPart, valuePart);
    }

    /** Checks through the accessors that token t of every layer holds the entries of ids[t]. */
    private static void assertHolds(ModelConfig config, KvCache cache, int... ids) {
        int w = cache.width();
        for (int l = 0; l < cache.layers(); l++) {
            for (int t = 0; t < ids.length; t++) {
                if (config.kvMode() == KvMode.COLLECTIVE) {
                    assertEquals(keyIndex(l, ids[t]), cache.keyIndex(l, t));
                    assertEquals(valueIndex(l, ids[t]), cache.valueIndex(l, t));
                }
                float[] key = new float[w];
                float[] value = new float[w];
                cache.copyKeyPart(l, t, key, 0);
                cache.copyValuePart(l, t, value, 0);
                for (int j = 0; j < w; j++) {
                    assertEquals(keyFloat(l, ids[t], j), key[j], "layer " + l + " token " + t);
                    assertEquals(-keyFloat(l, ids[t], j), value[j], "layer " + l + " token " + t);
                }
            }
        }
    }

    private static int keyIndex(int layer, int id) {
        return 10 * layer + id;
    }

    private static int valueIndex(int layer, int id) {
        return 10 * layer + id + 5;
    }

    private static float keyFloat(int layer, int id, int j) {
        return 100 * layer + 10 * id + j + 0.5f;
    }
}

package io.collectivekv.cache;

import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CacheCodecTest {
    static final ModelConfig COLLECTIVE = KvCacheTest.COLLECTIVE; // d = 8, 2 layers, d_u = 2, m = 16
    static final ModelConfig FULL = KvCacheTest.FULL;

    @Test
    void fp32RoundTripIsExactForCollectiveCaches() {
        KvCache cache = randomCache(COLLECTIVE, 5, 1);
        CacheCodec codec = new CacheCodec(COLLECTIVE, Precision.FP32);
        assertEquals(cache, codec.decode(codec.encode(cache)));
    }

    @Test
    void fp32RoundTripIsExactForFullCaches() {
        KvCache cache = randomCache(FULL, 5, 2);
        CacheCodec codec = new CacheCodec(FULL, Precision.FP32);
        assertEquals(cache, codec.decode(codec.encode(cache)));
    }

    @Test
    void emptyCacheRoundTripsAsAHeaderOnly() {
        CacheCodec codec = new CacheCodec(COLLECTIVE, Precision.FP16);
        byte[] bytes = codec.encode(KvCache.empty(COLLECTIVE));
        assertEquals(CacheCodec.HEADER_BYTES, bytes.length);
        assertEquals(KvCache.empty(COLLECTIVE), codec.decode(bytes));
    }

    @Test
    void fp16RoundTripStaysWithinHalfPrecision() {
        for (ModelConfig config : new ModelConfig[] {COLLECTIVE, FULL}) {
            KvCache cache = randomCache(config, 6, 3);
            KvCache back = new CacheCodec(config, Precision.FP16).decode(new CacheCodec(config, Precision.FP16).encode(cache));
            assertEquals(cache.length(), back.length());
            float[] expected = new float[cache.width()];
            float[] actual = new float[cache.width()];
            for (int l = 0; l < cache.layers(); l++) {
                for (int t = 0; t < cache.length(); t++) {
                    if (config.kvMode() == KvMode.COLLECTIVE) {
                        assertEquals(cache.keyIndex(l, t), back.keyIndex(l, t));
                        assertEquals(cache.valueIndex(l, t), back.valueIndex(l, t));
                    }
                    cache.copyKeyPart(l, t, expected, 0);
                    back.copyKeyPart(l, t, actual, 0);
                    assertWithinHalfPrecision(expected, actual);
                    cache.copyValuePart(l, t, expected, 0);
                    back.copyValuePart(l, t, actual, 0);
                    assertWithinHalfPrecision(expected, actual);
                }
            }
        }
    }

    @Test
    void decodeReadsThePrecisionTheBytesWereWrittenWith() {
        KvCache cache = KvCacheTest.tokens(COLLECTIVE, 0, 1); // values of the form k + 0.5 are exact in fp16
        byte[] fp16 = new CacheCodec(COLLECTIVE, Precision.FP16).encode(cache);
        assertEquals(cache, new CacheCodec(COLLECTIVE, Precision.FP32).decode(fp16));
    }

    @Test
    void bytesPerTokenPerLayerMatchTheLayout() {
        int du = COLLECTIVE.userDim();
        int d = FULL.d();
        assertEquals(4 + 8 * du, new CacheCodec(COLLECTIVE, Precision.FP32).bytesPerTokenPerLayer());
        assertEquals(4 + 4 * du, new CacheCodec(COLLECTIVE, Precision.FP16).bytesPerTokenPerLayer());
        assertEquals(8 * d, new CacheCodec(FULL, Precision.FP32).bytesPerTokenPerLayer());
        assertEquals(4 * d, new CacheCodec(FULL, Precision.FP16).bytesPerTokenPerLayer());
        assertEquals(8 * d, CacheCodec.fullFp32BytesPerTokenPerLayer(COLLECTIVE));
    }

    @Test
    void encodedSizeIsTheLengthOfTheEncodedBytes() {
        for (ModelConfig config : new ModelConfig[] {COLLECTIVE, FULL}) {
            for (Precision precision : Precision.values()) {
                CacheCodec codec = new CacheCodec(config, precision);
                int expected = 10 + 3 * config.layers() * codec.bytesPerTokenPerLayer();
                assertEquals(expected, codec.encodedSize(3));
                assertEquals(expected, codec.encode(randomCache(config, 3, 4)).length);
            }
        }
    }

    @Test
    void poolIndicesUpTo65535Survive() {
        ModelConfig config = new ModelConfig(Encoder.HSTU, KvMode.COLLECTIVE, 8, 2, 2, 2, ModelConfig.MAX_POOL_SIZE, 4, 10, 4);
        KvCache cache = KvCache.of(config, 2,
                new int[] {0, 32767, 32768, 65535},
                new int[] {65535, 65534, 1, 0},
                new float[8], new float[8]);
        CacheCodec codec = new CacheCodec(config, Precision.FP16);
        KvCache back = codec.decode(codec.encode(cache));
        assertEquals(cache, back);
        assertEquals(65535, back.keyIndex(1, 1));
    }

    @Test
    void decodeRefusesAnotherLayoutVersion() {
        CacheCodec codec = new CacheCodec(COLLECTIVE, Precision.FP32);
        byte[] bytes = codec.encode(randomCache(COLLECTIVE, 2, 5));
        bytes[0] = 2;
        assertEquals("cache layout version 2 is not supported (this build reads 1)", decodeError(codec, bytes));
    }

    @Test
    void decodeRefusesACacheOfAnotherShapeAndNamesTheModel() {
        ModelConfig widerUserPart = new ModelConfig(Encoder.HSTU, KvMode.COLLECTIVE, 8, 2, 2, 3, 16, 4, 10, 4);
        byte[] bytes = new CacheCodec(COLLECTIVE, Precision.FP32).encode(randomCache(COLLECTIVE, 2, 6));
        assertEquals("cache of shape collective/L2/w2 does not match the model (collective-L2-d8-u3-m16)",
                decodeError(new CacheCodec(widerUserPart, Precision.FP32), bytes));

        byte[] full = new CacheCodec(FULL, Precision.FP32).encode(randomCache(FULL, 2, 6));
        String message = decodeError(new CacheCodec(COLLECTIVE, Precision.FP32), full);
        assertTrue(message.contains("(" + COLLECTIVE.cacheShapeId() + ")"), message);
    }

    @Test
    void decodeRefusesTruncatedBytes() {
        CacheCodec codec = new CacheCodec(COLLECTIVE, Precision.FP32);
        byte[] bytes = codec.encode(randomCache(COLLECTIVE, 3, 7));
        assertEquals("cache of 129 bytes is truncated: its header announces 3 tokens (130 bytes)",
                decodeError(codec, Arrays.copyOf(bytes, bytes.length - 1)));
        assertEquals("cache of 6 bytes is truncated or corrupt", decodeError(codec, Arrays.copyOf(bytes, 6)));
        assertEquals("cache of 0 bytes is truncated or corrupt", decodeError(codec, new byte[0]));
    }

    @Test
    void decodeRefusesAnAbsurdTokenCountWithoutAllocatingForIt() {
        CacheCodec codec = new CacheCodec(COLLECTIVE, Precision.FP32);
        byte[] header = ByteBuffer.allocate(CacheCodec.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 1).put((byte) KvMode.COLLECTIVE.ordinal()).put((byte) Precision.FP32.ordinal())
                .put((byte) 2).putShort((short) 2).putInt(1 << 28).array();
        assertEquals("cache of 10 bytes is truncated: its header announces 268435456 tokens (10737418250 bytes)",
                decodeError(codec, header));
        header[6] = (byte) 0xff;
        header[7] = (byte) 0xff;
        header[8] = (byte) 0xff;
        header[9] = (byte) 0xff;
        assertEquals("cache header announces -1 tokens", decodeError(codec, header));
    }

    @Test
    void decodeRefusesTrailingBytes() {
        CacheCodec codec = new CacheCodec(FULL, Precision.FP16);
        byte[] bytes = codec.encode(randomCache(FULL, 2, 8));
        assertEquals("cache has 3 trailing bytes", decodeError(codec, Arrays.copyOf(bytes, bytes.length + 3)));
    }

    @Test
    void decodeRefusesUnknownModeOrPrecisionCodes() {
        CacheCodec codec = new CacheCodec(COLLECTIVE, Precision.FP32);
        byte[] bytes = codec.encode(randomCache(COLLECTIVE, 1, 9));
        bytes[2] = 7;
        assertEquals("cache has unknown precision code 7", decodeError(codec, bytes));
        bytes[2] = 0;
        bytes[1] = 9;
        assertEquals("cache has unknown kv mode code 9", decodeError(codec, bytes));
    }

    @Test
    void encodeRefusesACacheOfAnotherModel() {
        CacheCodec codec = new CacheCodec(COLLECTIVE, Precision.FP32);
        assertThrows(IllegalArgumentException.class, () -> codec.encode(randomCache(FULL, 1, 10)));
    }

    private static String decodeError(CacheCodec codec, byte[] bytes) {
        return assertThrows(CacheFormatException.class, () -> codec.decode(bytes)).getMessage();
    }

    private static void assertWithinHalfPrecision(float[] expected, float[] actual) {
        for (int j = 0; j < expected.length; j++) {
            assertTrue(Math.abs(actual[j] - expected[j]) <= Math.abs(expected[j]) * 0x1p-11f,
                    expected[j] + " came back as " + actual[j]);
        }
    }

    /** Indices anywhere in the pool; floats of either sign spread over 1e-4..1e4, inside fp16's normal range. */
    private static KvCache randomCache(ModelConfig config, int tokens, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int w = KvCache.entryWidth(config);
        int indices = config.kvMode() == KvMode.COLLECTIVE ? config.layers() * tokens : 0;
        int[] keyIndex = random.ints(indices, 0, config.poolSize()).toArray();
        int[] valueIndex = random.ints(indices, 0, config.poolSize()).toArray();
        float[] keyPart = new float[config.layers() * tokens * w];
        float[] valuePart = new float[keyPart.length];
        for (int i = 0; i < keyPart.length; i++) {
            keyPart[i] = randomFloat(random);
            valuePart[i] = randomFloat(random);
        }
        return KvCache.of(config, tokens, keyIndex, valueIndex, keyPart, valuePart);
    }

    private static float randomFloat(SplittableRandom random) {
        return (float) ((random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextDouble(-4, 4)));
    }
}

package io.collectivekv.cache;

import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The binary layout of a user's cache in state. Little-endian, versioned:
 *
 * <pre>
 *   u8  layout version (1)      u8  kv mode (0 full, 1 collective)     u8 precision (0 fp32, 1 fp16)
 *   u8  layers                  u16 width (d_u or d)                   i32 tokens
 *   per layer:  collective: u16 keyIndex[tokens], u16 valueIndex[tokens], keyUser[tokens·w], valueUser[tokens·w]
 *               full:       key[tokens·w], value[tokens·w]
 * </pre>
 *
 * Pool indices fit 16 bits because pool_size ≤ 65,536 (ModelConfig checks it).
 */
public final class CacheCodec {
    public static final int LAYOUT_VERSION = 1;
    static final int HEADER_BYTES = 10;

    private final ModelConfig config;
    private final Precision precision;

    public CacheCodec(ModelConfig config, Precision precision) {
        this.config = config;
        this.precision = precision;
    }

    /** Bytes one token costs in one layer (keys and values together). */
    public int bytesPerTokenPerLayer() {
        return bytesPerTokenPerLayer(config.kvMode(), KvCache.entryWidth(config), precision);
    }

    private static int bytesPerTokenPerLayer(KvMode mode, int width, Precision precision) {
        int floats = 2 * width * precision.bytes();
        return mode == KvMode.COLLECTIVE ? 2 * Short.BYTES + floats : floats;
    }

    /** The reference: an ordinary fp32 K/V cache, 2·d floats per token and layer. */
    public static int fullFp32BytesPerTokenPerLayer(ModelConfig config) {
        return 2 * config.d() * Float.BYTES;
    }

    public int encodedSize(int tokens) {
        return HEADER_BYTES + tokens * config.layers() * bytesPerTokenPerLayer();
    }

    public byte[] encode(KvCache cache) {
        if (cache.mode() != config.kvMode() || cache.layers() != config.layers() || cache.width() != KvCache.entryWidth(config)) {
            throw new IllegalArgumentException("cache " + cache + " does not belong to a " + config.cacheShapeId() + " model");
        }
        int n = cache.length();
        ByteBuffer out = ByteBuffer.allocate(encodedSize(n)).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) LAYOUT_VERSION).put(modeCode(cache.mode())).put(precisionCode(precision))
                .put((byte) cache.layers()).putShort((short) cache.width()).putInt(n);
        int w = cache.width();
        for (int l = 0; l < cache.layers(); l++) {
            if (cache.mode() == KvMode.COLLECTIVE) {
                putIndices(out, cache.keyIndexArray(), l * n, n);
                putIndices(out, cache.valueIndexArray(), l * n, n);
            }
            putFloats(out, cache.keyPartArray(), l * n * w, n * w);
            putFloats(out, cache.valuePartArray(), l * n * w, n * w);
        }
        return out.array();
    }

    public KvCache decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int version = in.get();
            if (version != LAYOUT_VERSION) {
                throw new CacheFormatException("cache layout version " + version + " is not supported (this build reads " + LAYOUT_VERSION + ")");
            }
            KvMode mode = modeOf(in.get());
            Precision stored = precisionOf(in.get());
            int layers = Byte.toUnsignedInt(in.get());
            int width = Short.toUnsignedInt(in.getShort());
            int n = in.getInt();
            if (mode != config.kvMode() || layers != config.layers() || width != KvCache.entryWidth(config)) {
                throw new CacheFormatException("cache of shape " + mode.id() + "/L" + layers + "/w" + width
                        + " does not match the model (" + config.cacheShapeId() + ")");
            }
            if (n < 0) {
                throw new CacheFormatException("cache header announces " + n + " tokens");
            }
            // Checked before allocating, so a corrupt token count cannot ask for gigabytes.
            long expected = HEADER_BYTES + (long) n * layers * bytesPerTokenPerLayer(mode, width, stored);
            if (expected > bytes.length) {
                throw new CacheFormatException("cache of " + bytes.length + " bytes is truncated: its header announces "
                        + n + " tokens (" + expected + " bytes)");
            }
            if (expected < bytes.length) {
                throw new CacheFormatException("cache has " + (bytes.length - expected) + " trailing bytes");
            }
            boolean collective = mode == KvMode.COLLECTIVE;
            int[] ki = new int[collective ? layers * n : 0];
            int[] vi = new int[ki.length];
            float[] kp = new float[layers * n * width];
            float[] vp = new float[kp.length];
            for (int l = 0; l < layers; l++) {
                if (collective) {
                    getIndices(in, ki, l * n, n);
                    getIndices(in, vi, l * n, n);
                }
                getFloats(in, stored, kp, l * n * width, n * width);
                getFloats(in, stored, vp, l * n * width, n * width);
            }
            return KvCache.of(config, n, ki, vi, kp, vp);
        } catch (BufferUnderflowException | ArrayIndexOutOfBoundsException e) {
            throw new CacheFormatException("cache of " + bytes.length + " bytes is truncated or corrupt");
        }
    }

    // Stored codes are fixed here, not enum ordinals: state in RocksDB outlives any reordering.
    private static byte modeCode(KvMode mode) {
        return (byte) (mode == KvMode.FULL ? 0 : 1);
    }

    private static KvMode modeOf(byte code) {
        return switch (code) {
            case 0 -> KvMode.FULL;
            case 1 -> KvMode.COLLECTIVE;
            default -> throw new CacheFormatException("cache has unknown kv mode code " + code);
        };
    }

    private static byte precisionCode(Precision p) {
        return (byte) (p == Precision.FP32 ? 0 : 1);
    }

    private static Precision precisionOf(byte code) {
        return switch (code) {
            case 0 -> Precision.FP32;
            case 1 -> Precision.FP16;
            default -> throw new CacheFormatException("cache has unknown precision code " + code);
        };
    }

    private static void putIndices(ByteBuffer out, int[] values, int from, int count) {
        for (int i = from; i < from + count; i++) {
            out.putShort((short) values[i]);
        }
    }

    private static void getIndices(ByteBuffer in, int[] values, int from, int count) {
        for (int i = from; i < from + count; i++) {
            values[i] = Short.toUnsignedInt(in.getShort());
        }
    }

    private void putFloats(ByteBuffer out, float[] values, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (precision == Precision.FP32) {
                out.putFloat(values[i]);
            } else {
                out.putShort(HalfFloat.fromFloat(values[i]));
            }
        }
    }

    private static void getFloats(ByteBuffer in, Precision stored, float[] values, int from, int count) {
        for (int i = from; i < from + count; i++) {
            values[i] = stored == Precision.FP32 ? in.getFloat() : HalfFloat.toFloat(in.getShort());
        }
    }
}

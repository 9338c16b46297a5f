package io.collectivekv.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The sizes and choices that fix a model's function: everything the trainer, the ONNX export, the
 * cache codec and the job need to agree on. Validated once, at construction.
 *
 * @param encoder         hstu | sasrec
 * @param kvMode          full | collective
 * @param d               model width (the width of every key and value)
 * @param layers          number of blocks
 * @param heads           attention heads; d must be divisible by heads
 * @param userDim         d_u: user-specific floats per key (and per value) in collective mode
 * @param poolSize        m: entries in each layer's key pool and value pool (≤ 65,536: indices are 16-bit)
 * @param window          W: tokens kept per user; also the band of the causal attention mask
 * @param items           catalogue size N; the item table has N + 2 rows (0 = padding, 1 = unknown)
 * @param relPosBuckets   log-scaled distance buckets of the relative-position bias
 */
public record ModelConfig(
        Encoder encoder,
        KvMode kvMode,
        int d,
        int layers,
        int heads,
        int userDim,
        int poolSize,
        int window,
        int items,
        int relPosBuckets) {

    public static final String ENCODER = "encoder";
    public static final String KV_MODE = "kv_mode";
    public static final String D = "d";
    public static final String LAYERS = "layers";
    public static final String HEADS = "heads";
    public static final String USER_DIM = "d_u";
    public static final String POOL_SIZE = "pool_size";
    public static final String WINDOW = "window";
    public static final String ITEMS = "items";
    public static final String REL_POS_BUCKETS = "rel_pos_buckets";

    /** Rows of the item table before the catalogue: 0 = padding, 1 = unknown item. */
    public static final int PADDING_ROW = 0;
    public static final int UNKNOWN_ROW = 1;
    public static final int RESERVED_ROWS = 2;
    /** Pool indices are stored as unsigned 16-bit integers. */
    public static final int MAX_POOL_SIZE = 1 << 16;

    private static final Set<String> KEYS = Set.of(ENCODER, KV_MODE, D, LAYERS, HEADS, USER_DIM, POOL_SIZE, WINDOW, ITEMS, REL_POS_BUCKETS);

    public ModelConfig {
        if (encoder == null) {
            throw new ConfigException(ENCODER, "missing");
        }
        if (kvMode == null) {
            throw new ConfigException(KV_MODE, "missing");
        }
        requireRange(D, d, 2, 4096);
        requireRange(LAYERS, layers, 1, 64);
        requireRange(HEADS, heads, 1, d);
        if (d % heads != 0) {
            throw new ConfigException(HEADS, String.valueOf(heads), "a divisor of d = " + d);
        }
        requireRange(USER_DIM, userDim, 1, d - 1);
        requireRange(POOL_SIZE, poolSize, 2, MAX_POOL_SIZE);
        requireRange(WINDOW, window, 1, 1 << 20);
        requireRange(ITEMS, items, 1, Integer.MAX_VALUE - RESERVED_ROWS);
        requireRange(REL_POS_BUCKETS, relPosBuckets, 1, 1024);
    }

    /**
     * The default model shape (what `ckv train` uses without flags); {@code items} comes from the
     * data. It is the shape of QUALITY.md's headline ML-1M row: d_u = 2 of d = 128 keeps the cache at
     * 20 bytes per token and layer, 1.95% of a full fp32 cache. The pool costs no cache byte (indices
     * are 16-bit up to 65,536); its 4,096 entries per layer are fitted to a trained full model
     * (`ckv train --init-from`), where they came within 2% of it on validation and 1,024 did not.
     * Trained from scratch, a pool that large is slow on a small machine; QUALITY.md has the
     * from-scratch rows at 1,024.
     */
    public static ModelConfig defaults(int items) {
        return new ModelConfig(Encoder.HSTU, KvMode.COLLECTIVE, 128, 2, 2, 2, 4096, 200, items, 32);
    }

    public int headDim() {
        return d / heads;
    }

    /** Width of the shared (pool) part of a collective key or value: d − d_u. */
    public int sharedDim() {
        return d - userDim;
    }

    /** Rows of the item table: the catalogue plus padding and unknown. */
    public int itemRows() {
        return items + RESERVED_ROWS;
    }

    public ModelConfig withItems(int newItems) {
        return new ModelConfig(encoder, kvMode, d, layers, heads, userDim, poolSize, window, newItems, relPosBuckets);
    }

    public ModelConfig withKvMode(KvMode mode) {
        return new ModelConfig(encoder, mode, d, layers, heads, userDim, poolSize, window, items, relPosBuckets);
    }

    public ModelConfig withEncoder(Encoder enc) {
        return new ModelConfig(enc, kvMode, d, layers, heads, userDim, poolSize, window, items, relPosBuckets);
    }

    public ModelConfig withWindow(int w) {
        return new ModelConfig(encoder, kvMode, d, layers, heads, userDim, poolSize, w, items, relPosBuckets);
    }

    public ModelConfig withPoolSize(int m) {
        return new ModelConfig(encoder, kvMode, d, layers, heads, userDim, m, window, items, relPosBuckets);
    }

    /** The config as string pairs, in declaration order (the manifest's "model" object). */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ENCODER, encoder.id());
        m.put(KV_MODE, kvMode.id());
        m.put(D, Integer.toString(d));
        m.put(LAYERS, Integer.toString(layers));
        m.put(HEADS, Integer.toString(heads));
        m.put(USER_DIM, Integer.toString(userDim));
        m.put(POOL_SIZE, Integer.toString(poolSize));
        m.put(WINDOW, Integer.toString(window));
        m.put(ITEMS, Integer.toString(items));
        m.put(REL_POS_BUCKETS, Integer.toString(relPosBuckets));
        return m;
    }

    /** Parses and validates a full set of keys; an unknown, missing or bad key is named in the error. */
    public static ModelConfig fromMap(Map<String, String> values) {
        for (String key : values.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException(key, "unknown key (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        return new ModelConfig(
                Encoder.parse(ENCODER, required(values, ENCODER)),
                KvMode.parse(KV_MODE, required(values, KV_MODE)),
                parseInt(values, D),
                parseInt(values, LAYERS),
                parseInt(values, HEADS),
                parseInt(values, USER_DIM),
                parseInt(values, POOL_SIZE),
                parseInt(values, WINDOW),
                parseInt(values, ITEMS),
                parseInt(values, REL_POS_BUCKETS));
    }

    /**
     * The shape of a cache this model computes (kv mode, layers, width, and for collective d_u and m).
     * The artifact's cache-compatibility id is this shape plus a digest of the graphs: a cache is only
     * valid for the very weights that computed it.
     */
    public String cacheShapeId() {
        return kvMode.id() + "-L" + layers + "-d" + d + (kvMode == KvMode.COLLECTIVE ? "-u" + userDim + "-m" + poolSize : "");
    }

    private static String required(Map<String, String> values, String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException(key, "missing");
        }
        return v.trim();
    }

    private static int parseInt(Map<String, String> values, String key) {
        String v = required(values, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, v, "an integer");
        }
    }

    private static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(key, Integer.toString(value), "an integer in [" + min + ", " + max + "]");
        }
    }
}

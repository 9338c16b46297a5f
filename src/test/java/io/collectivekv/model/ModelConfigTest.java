package io.collectivekv.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelConfigTest {

    @Test
    void defaultsAreValid() {
        ModelConfig config = ModelConfig.defaults(500);
        assertEquals(Encoder.HSTU, config.encoder());
        assertEquals(KvMode.COLLECTIVE, config.kvMode());
        assertEquals(500, config.items());
        assertEquals(502, config.itemRows());
        assertEquals(config.d() - config.userDim(), config.sharedDim());
        assertEquals(config.d(), config.headDim() * config.heads());
    }

    @Test
    void withPoolSizeChangesThePoolAlone() {
        ModelConfig config = ModelConfig.defaults(500);
        ModelConfig smaller = config.withPoolSize(1024);
        assertEquals(1024, smaller.poolSize());
        assertEquals(config, smaller.withPoolSize(config.poolSize()));
    }

    @Test
    void toMapAndFromMapRoundTrip() {
        ModelConfig collective = ModelConfig.defaults(500);
        ModelConfig full = new ModelConfig(Encoder.SASREC, KvMode.FULL, 48, 3, 4, 5, 65536, 50, 7, 16);
        assertEquals(collective, ModelConfig.fromMap(collective.toMap()));
        assertEquals(full, ModelConfig.fromMap(full.toMap()));
        assertEquals("sasrec", full.toMap().get(ModelConfig.ENCODER));
        assertEquals("full", full.toMap().get(ModelConfig.KV_MODE));
    }

    @Test
    void userDimMustBeSmallerThanD() {
        assertRejected(ModelConfig.USER_DIM, "d_u = 8: expected an integer in [1, 7]",
                () -> new ModelConfig(Encoder.HSTU, KvMode.COLLECTIVE, 8, 2, 2, 8, 16, 4, 10, 4));
        assertRejected(ModelConfig.USER_DIM, "d_u = 65: expected an integer in [1, 63]", () -> config(ModelConfig.USER_DIM, "65"));
    }

    @Test
    void headsMustDivideD() {
        assertRejected(ModelConfig.HEADS, "heads = 3: expected a divisor of d = 64", () -> config(ModelConfig.HEADS, "3"));
    }

    @Test
    void poolSizeMustFitSixteenBitIndices() {
        assertEquals(65536, config(ModelConfig.POOL_SIZE, "65536").poolSize());
        assertRejected(ModelConfig.POOL_SIZE, "pool_size = 65537: expected an integer in [2, 65536]",
                () -> config(ModelConfig.POOL_SIZE, "65537"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "d               | 1       | d = 1: expected an integer in [2, 4096]",
            "layers          | 0       | layers = 0: expected an integer in [1, 64]",
            "heads           | 128     | heads = 128: expected an integer in [1, 64]",
            "d_u             | 0       | d_u = 0: expected an integer in [1, 63]",
            "pool_size       | 1       | pool_size = 1: expected an integer in [2, 65536]",
            "window          | 0       | window = 0: expected an integer in [1, 1048576]",
            "items           | 0       | items = 0: expected an integer in [1, 2147483645]",
            "rel_pos_buckets | 1025    | rel_pos_buckets = 1025: expected an integer in [1, 1024]",
            "encoder         | gpt     | encoder = gpt: expected one of hstu, sasrec",
            "kv_mode         | partial | kv_mode = partial: expected one of full, collective",
    })
    void outOfRangeValuesNameTheKeyAndTheAcceptedRange(String key, String value, String message) {
        assertRejected(key, message, () -> config(key, value));
    }

    @Test
    void nonIntegerValuesAreRejected() {
        assertRejected(ModelConfig.D, "d = eight: expected an integer", () -> config(ModelConfig.D, "eight"));
        assertRejected(ModelConfig.WINDOW, "window = 2.5: expected an integer", () -> config(ModelConfig.WINDOW, "2.5"));
    }

    @Test
    void unknownKeysAreRejected() {
        assertRejected("colour", "colour: unknown key (known: d, d_u, encoder, heads, items, kv_mode, layers, pool_size, "
                + "rel_pos_buckets, window)", () -> config("colour", "blue"));
    }

    @Test
    void missingKeysAreRejected() {
        Map<String, String> values = ModelConfig.defaults(500).toMap();
        values.remove(ModelConfig.LAYERS);
        assertRejected(ModelConfig.LAYERS, "layers: missing", () -> ModelConfig.fromMap(values));
        assertRejected(ModelConfig.ITEMS, "items: missing", () -> config(ModelConfig.ITEMS, " "));
        assertRejected(ModelConfig.ENCODER, "encoder: missing",
                () -> new ModelConfig(null, KvMode.FULL, 8, 2, 2, 2, 16, 4, 10, 4));
    }

    @Test
    void cacheShapeIdDescribesWhatACacheHolds() {
        assertEquals("collective-L2-d128-u2-m4096", ModelConfig.defaults(500).cacheShapeId());
        assertEquals("full-L2-d128", ModelConfig.defaults(500).withKvMode(KvMode.FULL).cacheShapeId());
    }

    /** A fixed d = 64 config for 500 items (not the defaults, which may change) with one key set to {@code value}, through fromMap. */
    private static ModelConfig config(String key, String value) {
        Map<String, String> values = new LinkedHashMap<>(new ModelConfig(Encoder.HSTU, KvMode.COLLECTIVE, 64, 2, 2, 2, 1024, 200, 500, 32).toMap());
        values.put(key, value);
        return ModelConfig.fromMap(values);
    }

    private static void assertRejected(String key, String message, Executable build) {
        ConfigException e = assertThrows(ConfigException.class, build);
        assertEquals(message, e.getMessage());
        assertEquals(key, e.key());
    }
}

package io.collectivekv.cli;

import io.collectivekv.model.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The model's shape as flags; defaults are {@link ModelConfig#defaults}. Validation names the key. */
final class ModelOptions {
    private static final ModelConfig DEFAULTS = ModelConfig.defaults(1);

    @Option(names = "--encoder", description = "hstu | sasrec (default: ${DEFAULT-VALUE})")
    String encoder = DEFAULTS.encoder().id();

    @Option(names = "--kv-mode", description = "collective | full (default: ${DEFAULT-VALUE})")
    String kvMode = DEFAULTS.kvMode().id();

    @Option(names = "--d", description = "model width d (default: ${DEFAULT-VALUE})")
    int d = DEFAULTS.d();

    @Option(names = "--layers", description = "blocks (default: ${DEFAULT-VALUE})")
    int layers = DEFAULTS.layers();

    @Option(names = "--heads", description = "attention heads (default: ${DEFAULT-VALUE})")
    int heads = DEFAULTS.heads();

    @Option(names = "--d-u", description = "user-specific floats per key/value, collective mode (default: ${DEFAULT-VALUE})")
    int userDim = DEFAULTS.userDim();

    @Option(names = "--pool-size", description = "pool entries m per layer, ≤ 65536 (default: ${DEFAULT-VALUE}, sized for --init-from;"
            + " from scratch, QUALITY.md trains 1024, about 10x faster a batch)")
    int poolSize = DEFAULTS.poolSize();

    @Option(names = "--window", description = "W: tokens kept per user (default: ${DEFAULT-VALUE})")
    int window = DEFAULTS.window();

    @Option(names = "--rel-pos-buckets", description = "relative-position buckets (default: ${DEFAULT-VALUE})")
    int relPosBuckets = DEFAULTS.relPosBuckets();

    /** The config for a catalogue of {@code items} items; a bad value fails with the flag's key. */
    ModelConfig toConfig(int items) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ModelConfig.ENCODER, encoder);
        m.put(ModelConfig.KV_MODE, kvMode);
        m.put(ModelConfig.D, Integer.toString(d));
        m.put(ModelConfig.LAYERS, Integer.toString(layers));
        m.put(ModelConfig.HEADS, Integer.toString(heads));
        m.put(ModelConfig.USER_DIM, Integer.toString(userDim));
        m.put(ModelConfig.POOL_SIZE, Integer.toString(poolSize));
        m.put(ModelConfig.WINDOW, Integer.toString(window));
        m.put(ModelConfig.ITEMS, Integer.toString(items));
        m.put(ModelConfig.REL_POS_BUCKETS, Integer.toString(relPosBuckets));
        return ModelConfig.fromMap(m);
    }
}

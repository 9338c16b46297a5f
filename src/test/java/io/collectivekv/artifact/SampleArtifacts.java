package io.collectivekv.artifact;

import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

/** Small, valid artifacts for tests: fake graph bytes (the artifact never looks inside them) and a seeded item table. */
public final class SampleArtifacts {

    /** A fixed shape, not the defaults: the tests' expected messages and sizes name it. */
    public static final ModelConfig CONFIG = new ModelConfig(Encoder.HSTU, KvMode.COLLECTIVE, 64, 2, 2, 2, 1024, 200, 10, 32);
    public static final byte[] PREFILL = "fake prefill graph".getBytes(StandardCharsets.UTF_8);
    public static final byte[] STEP = "fake step graph".getBytes(StandardCharsets.UTF_8);
    /** A vocabulary of the config's 10 items, ids "i0" … "i9" at rows 2 … 11. */
    public static final byte[] ITEMS_TSV = ("item\trow\n" + java.util.stream.IntStream.range(0, 10)
            .mapToObj(i -> "i" + i + "\t" + (i + 2) + "\n").collect(java.util.stream.Collectors.joining()))
            .getBytes(StandardCharsets.UTF_8);
    public static final String MODEL_VERSION = "hstu-collective-20261128T1324Z-ab12cd";

    private SampleArtifacts() {
    }

    public static FloatMatrix embeddings(int rows, int cols, long seed) {
        Random random = new Random(seed);
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return new FloatMatrix(rows, cols, values);
    }

    public static FloatMatrix embeddings() {
        return embeddings(CONFIG.itemRows(), CONFIG.d(), 7);
    }

    public static ArtifactWriter writer() {
        return new ArtifactWriter(CONFIG, MODEL_VERSION, PREFILL, STEP, ITEMS_TSV, embeddings(), Map.of("data", "synthetic", "ndcg@10", "0.42"));
    }
}

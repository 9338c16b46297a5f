package io.collectivekv.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.cache.KvCache;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A loaded model's prefill and step graphs on ONNX Runtime, through DJL. Batched over users: the
 * caller hands several users' windows or caches at once and each gets its own {@link Inference}.
 * Not thread-safe; give each thread (each Flink subtask) its own session.
 */
public final class ModelSession implements AutoCloseable {
    /** DJL must be told: with PyTorch on the class path its default engine would be PyTorch. */
    static final String ENGINE = "OnnxRuntime";

    private final ModelConfig config;
    private final String modelVersion;
    private final String cacheCompatibilityId;
    private final Model prefillModel;
    private final Model stepModel;
    private final Predictor<NDList, NDList> prefill;
    private final Predictor<NDList, NDList> step;

    private ModelSession(ModelArtifact artifact, int threads, Path stepProfile) throws IOException, MalformedModelException {
        this.config = artifact.config();
        this.modelVersion = artifact.modelVersion();
        this.cacheCompatibilityId = artifact.cacheCompatibilityId();
        Map<String, String> options = new HashMap<>();
        if (threads > 0) {
            options.put("intraOpNumThreads", Integer.toString(threads));
            options.put("interOpNumThreads", "1");
        }
        // ORT loads from files: write the verified bytes, so what runs is what was checked.
        Path dir = Files.createTempDirectory("ckv-model-");
        Model prefillLoaded = null;
        try {
            prefillLoaded = load(dir, "prefill", artifact.prefillGraph(), options);
            Map<String, String> stepOptions = new HashMap<>(options);
            if (stepProfile != null) {
                stepOptions.put("profilerOutput", stepProfile.toString());
            }
            this.stepModel = load(dir, "step", artifact.stepGraph(), stepOptions);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            if (prefillLoaded != null) {
                prefillLoaded.close(); // native memory: a failed hot swap must not leak it
            }
            throw e;
        } finally {
            deleteRecursively(dir);
        }
        this.prefillModel = prefillLoaded;
        this.prefill = prefillModel.newPredictor(new NoopTranslator());
        this.step = stepModel.newPredictor(new NoopTranslator());
    }

    /**
     * Loads a verified artifact's graphs.
     *
     * @param threads ORT intra-op threads; 0 = ORT's default (all cores)
     */
    public static ModelSession open(ModelArtifact artifact, int threads) {
        return open(artifact, threads, null);
    }

    /**
     * A session whose step graph ONNX Runtime profiles node by node: on {@link #close} it writes
     * the trace to {@code <stepProfile>_<timestamp>.json} (Chrome trace format). For benchmarks.
     */
    public static ModelSession openProfiled(ModelArtifact artifact, int threads, Path stepProfile) {
        return open(artifact, threads, stepProfile);
    }

    private static ModelSession open(ModelArtifact artifact, int threads, Path stepProfile) {
        try {
            return new ModelSession(artifact, threads, stepProfile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model " + artifact.modelVersion() + ": " + e.getMessage(), e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("model " + artifact.modelVersion() + " is not a valid ONNX graph: " + e.getMessage(), e);
        }
    }

    public ModelConfig config() {
        return config;
    }

    public String modelVersion() {
        return modelVersion;
    }

    public String cacheCompatibilityId() {
        return cacheCompatibilityId;
    }

    /**
     * Encodes each window from scratch (a full banded causal forward) and returns its cache and the
     * scores after its last item. Windows longer than W keep their last W items.
     *
     * @param windows item rows, oldest first, each non-empty
     */
    public List<Inference> prefill(List<int[]> windows) {
        return prefill(windows, config.window());
    }

    /**
     * Scores after each whole history, however long: the prefill graph's banded mask over every
     * token reproduces exactly what a stream of steps with eviction computes (the streaming job's
     * semantics), at O(T²) cost. The returned caches hold every token, not only the last W.
     */
    public List<Inference> scoreWholeHistories(List<int[]> histories) {
        return prefill(histories, Integer.MAX_VALUE);
    }

    private List<Inference> prefill(List<int[]> windows, int maxTokens) {
        int batch = windows.size();
        int tokens = 1;
        for (int[] w : windows) {
            if (w.length == 0) {
                throw new IllegalArgumentException("prefill of an empty window");
            }
            tokens = Math.max(tokens, Math.min(w.length, maxTokens));
        }
        long[] items = new long[batch * tokens];
        long[] lengths = new long[batch];
        for (int b = 0; b < batch; b++) {
            int[] w = windows.get(b);
            int n = Math.min(w.length, maxTokens);
            for (int t = 0; t < n; t++) {
                items[b * tokens + t] = w[w.length - n + t];
            }
            lengths[b] = n;
        }
        try (NDManager m = prefillModel.getNDManager().newSubManager()) {
            NDList in = new NDList(
                    named(m.create(items, new Shape(batch, tokens)), GraphContract.ITEMS),
                    named(m.create(lengths, new Shape(batch)), GraphContract.LENGTHS));
            Outputs out = new Outputs(run(prefill, in), config, batch, tokens);
            List<Inference> results = new ArrayList<>(batch);
            for (int b = 0; b < batch; b++) {
                KvCache cache = out.cache(b, (int) lengths[b]);
                results.add(new Inference(cache, out.scores(b), out.userVector(b)));
            }
            return results;
        }
    }

    /**
     * One incremental step per user: evicts the oldest tokens so that the new one fits in the
     * window, attends over the cache plus the new item, and appends the new item's entries to the
     * cache in place.
     *
     * @param caches one per user (updated in place)
     * @param items  the new item row of each user
     */
    public List<Inference> step(List<KvCache> caches, int[] items) {
        int batch = caches.size();
        if (items.length != batch) {
            throw new IllegalArgumentException(batch + " caches but " + items.length + " items");
        }
        int cached = 1; // a padding slot keeps every tensor non-empty for a user's first event
        for (KvCache c : caches) {
            c.dropOldest(c.length() - (config.window() - 1));
            cached = Math.max(cached, c.length());
        }
        int layers = config.layers();
        int width = KvCache.entryWidth(config);
        long[] itemArray = new long[batch];
        long[] lengths = new long[batch];
        long[] keyIndex = new long[layers * batch * cached];
        long[] valueIndex = new long[layers * batch * cached];
        float[] keyPart = new float[layers * batch * cached * width];
        float[] valuePart = new float[layers * batch * cached * width];
        for (int b = 0; b < batch; b++) {
            KvCache c = caches.get(b);
            itemArray[b] = items[b];
            lengths[b] = c.length();
            for (int l = 0; l < layers; l++) {
                for (int t = 0; t < c.length(); t++) {
                    int slot = (l * batch + b) * cached + t;
                    if (config.kvMode() == KvMode.COLLECTIVE) {
                        keyIndex[slot] = c.keyIndex(l, t);
                        valueIndex[slot] = c.valueIndex(l, t);
                    }
                    c.copyKeyPart(l, t, keyPart, slot * width);
                    c.copyValuePart(l, t, valuePart, slot * width);
                }
            }
        }
        try (NDManager m = stepModel.getNDManager().newSubManager()) {
            NDList in = new NDList(
                    named(m.create(itemArray, new Shape(batch, 1)), GraphContract.ITEMS),
                    named(m.create(lengths, new Shape(batch)), GraphContract.CACHE_LENGTH));
            Shape indexShape = new Shape(layers, batch, cached);
            Shape partShape = new Shape(layers, batch, cached, width);
            if (config.kvMode() == KvMode.COLLECTIVE) {
                in.add(named(m.create(keyIndex, indexShape), GraphContract.CACHE_PREFIX + GraphContract.KEY_INDEX));
                in.add(named(m.create(valueIndex, indexShape), GraphContract.CACHE_PREFIX + GraphContract.VALUE_INDEX));
                in.add(named(m.create(keyPart, partShape), GraphContract.CACHE_PREFIX + GraphContract.KEY_USER));
                in.add(named(m.create(valuePart, partShape), GraphContract.CACHE_PREFIX + GraphContract.VALUE_USER));
            } else {
                in.add(named(m.create(keyPart, partShape), GraphContract.CACHE_PREFIX + GraphContract.KEY));
                in.add(named(m.create(valuePart, partShape), GraphContract.CACHE_PREFIX + GraphContract.VALUE));
            }
            Outputs out = new Outputs(run(step, in), config, batch, 1);
            List<Inference> results = new ArrayList<>(batch);
            for (int b = 0; b < batch; b++) {
                KvCache c = caches.get(b);
                out.appendTo(c, b);
                results.add(new Inference(c, out.scores(b), out.userVector(b)));
            }
            return results;
        }
    }

    @Override
    public void close() {
        prefill.close();
        step.close();
        prefillModel.close();
        stepModel.close();
    }

    private static NDList run(Predictor<NDList, NDList> predictor, NDList in) {
        try {
            return predictor.predict(in);
        } catch (TranslateException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    private static Model load(Path dir, String name, byte[] graph, Map<String, String> options) throws IOException, MalformedModelException {
        Path file = dir.resolve(name + ".onnx");
        Files.write(file, graph);
        Model model = Model.newInstance(name, Device.cpu(), ENGINE);
        model.load(file, name, options);
        return model;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

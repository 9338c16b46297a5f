package io.collectivekv.job.serve;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.cache.CacheCodec;
import io.collectivekv.cache.KvCache;
import io.collectivekv.cache.Precision;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.inference.Inference;
import io.collectivekv.inference.ModelSession;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.wire.Release;
import io.collectivekv.model.ModelConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * A verified model ready to serve in one subtask: ORT session, vocabulary, state codec. Also used
 * by the savepoint tools, so a re-encoded state is exactly what the job would have computed.
 */
public final class ServingModel implements AutoCloseable {
    /** Prefill and step of one item compute the same function; ORT may round them apart by far less. */
    private static final float AGREEMENT = 1e-3f;

    private final String version;
    private final String cacheId;
    private final ModelConfig config;
    private final ModelSession session;
    private final ItemIndex items;
    private final CacheCodec codec;

    private ServingModel(ModelArtifact artifact, ModelSession session, ItemIndex items, CacheCodec codec) {
        // Keep what serving needs, not the artifact: its graphs and item table are in ORT already.
        this.version = artifact.modelVersion();
        this.cacheId = artifact.cacheCompatibilityId();
        this.config = artifact.config();
        this.session = session;
        this.items = items;
        this.codec = codec;
    }

    /**
     * Opens and verifies an artifact for the job's cache mode.
     *
     * @param expectedManifestSha256 the release's pin on the manifest, or null at start-up
     * @throws IllegalArgumentException (or ArtifactException) with a one-line reason when it cannot serve
     */
    public static ServingModel load(String uri, String expectedManifestSha256, JobConfig config) {
        ModelArtifact artifact = ModelArtifact.open(toPath(uri));
        if (expectedManifestSha256 != null && !expectedManifestSha256.equalsIgnoreCase(artifact.manifestSha256())) {
            throw new IllegalArgumentException("artifact " + uri + ": manifest.json sha256 " + artifact.manifestSha256()
                    + " does not match the release's " + expectedManifestSha256);
        }
        ModelConfig model = artifact.config();
        String cacheMode = config.get(JobSettings.CACHE_MODE);
        if (!cacheMode.equals("none") && !cacheMode.equals(model.kvMode().id())) {
            throw new IllegalArgumentException("artifact " + uri + ": kv mode " + model.kvMode().id()
                    + " cannot serve cache.mode = " + cacheMode + " (use a " + cacheMode + " model or cache.mode = none)");
        }
        ItemIndex items = artifact.itemIndex();
        CacheCodec codec = new CacheCodec(model, Precision.parse(JobSettings.CACHE_PRECISION.key(), config.get(JobSettings.CACHE_PRECISION)));
        ModelSession session = ModelSession.open(artifact, config.get(JobSettings.INFERENCE_THREADS));
        try {
            rehearse(uri, model, session, codec);
        } catch (RuntimeException e) {
            session.close(); // native memory: a refused release must not leak it
            throw e;
        }
        return new ServingModel(artifact, session, items, codec);
    }

    /**
     * Runs the graphs once as serving will: a one-item prefill, a step from an empty cache, and a
     * step from that cache after a trip through the state codec; prefill and step must agree. A
     * manifest whose config does not describe its graphs (another layer count or width), or graphs
     * of two different models, pass every file check: without this, the job would switch to them
     * and then fail every event.
     */
    private static void rehearse(String uri, ModelConfig model, ModelSession session, CacheCodec codec) {
        int[] item = {ModelConfig.UNKNOWN_ROW};
        try {
            float[] prefilled = session.prefill(List.of(item)).get(0).scores();
            Inference stepped = session.step(List.of(KvCache.empty(model)), item).get(0);
            session.step(List.of(codec.decode(codec.encode(stepped.cache()))), item);
            float[] scores = stepped.scores();
            float largest = 0;
            for (float score : scores) {
                largest = Math.max(largest, Math.abs(score));
            }
            for (int row = 0; row < scores.length; row++) {
                if (!(Math.abs(scores[row] - prefilled[row]) <= AGREEMENT * (1 + largest))) { // a NaN fails too
                    throw new IllegalStateException("prefill scores row " + row + " " + prefilled[row] + ", step " + scores[row]);
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("artifact " + uri + ": its graphs do not serve its manifest's config ("
                    + e.toString().replace('\n', ' ') + ")", e);
        }
    }

    /** The artifact at {@code uri} as a release (version and manifest pin), after verifying every file. */
    public static Release describe(String uri) {
        ModelArtifact artifact = ModelArtifact.open(toPath(uri));
        return new Release(artifact.modelVersion(), uri, artifact.manifestSha256(), null);
    }

    static Path toPath(String uri) {
        return uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
    }

    /**
     * Brings a user's state to this model: the window re-mapped into this model's vocabulary (it
     * may differ from the previous model's) and, if {@code keepCache}, the cache recomputed from
     * the window by prefill (null for an empty window, or when the cache mode keeps none).
     *
     * @return whether a cache was rebuilt
     */
    public boolean adopt(UserState state, boolean keepCache) {
        for (int i = 0; i < state.window.length; i++) {
            state.window[i] = items.row(state.windowItemIds[i]);
        }
        boolean rebuild = keepCache && state.window.length > 0;
        state.cache = rebuild ? codec.encode(session.prefill(List.of(state.window)).get(0).cache()) : null;
        state.modelId = cacheId;
        return rebuild;
    }

    public String version() {
        return version;
    }

    /** Cache-compatibility id: states computed by a model with the same id need no rebuild. */
    public String cacheId() {
        return cacheId;
    }

    ModelConfig config() {
        return config;
    }

    ModelSession session() {
        return session;
    }

    ItemIndex items() {
        return items;
    }

    CacheCodec codec() {
        return codec;
    }

    @Override
    public void close() {
        session.close();
    }
}

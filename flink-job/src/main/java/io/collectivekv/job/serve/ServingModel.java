package io.collectivekv.job.serve;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.cache.CacheCodec;
import io.collectivekv.cache.Precision;
import io.collectivekv.data.ItemIndex;
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
        return new ServingModel(artifact, ModelSession.open(artifact, config.get(JobSettings.INFERENCE_THREADS)), items, codec);
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

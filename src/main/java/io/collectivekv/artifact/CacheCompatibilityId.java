package io.collectivekv.artifact;

import io.collectivekv.model.ModelConfig;
import java.nio.charset.StandardCharsets;

/**
 * Derives the id that decides whether a stored user cache may be reused by a model. A cache holds
 * keys and values computed by particular weights, so the id combines the cache shape with a digest
 * of both graphs (where the weights live): same weights give the same id, any retraining a new one.
 * Writer and reader both derive it here, so a hand-edited manifest cannot claim an old id.
 */
final class CacheCompatibilityId {

    private static final int DIGEST_CHARS = 16;

    private CacheCompatibilityId() {
    }

    static String of(ModelConfig config, String prefillSha256, String stepSha256) {
        return config.cacheShapeId() + "-" + graphsDigest(prefillSha256, stepSha256).substring(0, DIGEST_CHARS);
    }

    /** One digest over both graphs, so a change to either one changes it. */
    static String graphsDigest(String prefillSha256, String stepSha256) {
        return Sha256.of((prefillSha256 + stepSha256).getBytes(StandardCharsets.US_ASCII));
    }
}

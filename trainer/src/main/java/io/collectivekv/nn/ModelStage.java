package io.collectivekv.nn;

import java.util.Locale;

/**
 * The parts of a forward pass that a cost profile tells apart. The model names the stage it is in
 * ({@link TensorOps#stage}); the ONNX backend prefixes the nodes it emits with it, so ONNX Runtime's
 * per-node profile adds up per stage. Naming a stage never changes what is computed.
 */
public enum ModelStage {
    /** Item embedding lookup, layer norms, query/gate projections, output projection, feed-forward. */
    DENSE,
    /** The new tokens' cache entries: collective, the routers, their argmax and the user parts; full, the K/V projections. */
    KV,
    /** Cached entries turned back into keys and values (collective: the pool gathers), joined with the new tokens'. */
    CACHE,
    /** Query·key logits, relative-position bias, mask, normalisation and the weighted sum of values. */
    ATTENTION,
    /** The user vector against every item row. */
    SCORING,
    /** The graphs' own plumbing: attention layout, per-layer cache slicing, output stacking. */
    GLUE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}

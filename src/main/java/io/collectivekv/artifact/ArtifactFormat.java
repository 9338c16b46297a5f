package io.collectivekv.artifact;

import java.util.List;

/**
 * The on-disk format of a model artifact: its version and the names of the files at its root. The
 * trainer writes this layout and the streaming job reads it, so both take the names from here.
 */
public final class ArtifactFormat {

    /** The only manifest format this build writes and reads; a change of layout bumps it. */
    public static final int VERSION = 1;

    public static final String MANIFEST = "manifest.json";
    public static final String PREFILL = "prefill.onnx";
    public static final String STEP = "step.onnx";
    public static final String ITEMS = "items.tsv";
    public static final String ITEM_EMBEDDINGS = "item_embeddings.npy";

    /** Files every manifest must list; the manifest itself is not listed, it cannot hash itself. */
    static final List<String> REQUIRED_FILES = List.of(PREFILL, STEP, ITEMS, ITEM_EMBEDDINGS);

    private ArtifactFormat() {
    }
}

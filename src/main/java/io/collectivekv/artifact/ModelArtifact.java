package io.collectivekv.artifact;

import static io.collectivekv.artifact.ArtifactException.subject;

import io.collectivekv.data.DataFormatException;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.model.ModelConfig;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model artifact that has been opened and verified: every file listed in the manifest is present
 * with the recorded size and sha256, nothing else is there, the cache-compatibility id matches the
 * graphs, and the item table has the shape the config implies. Anything less is refused at
 * {@link #open}, so a job never starts serving with a model it cannot trust.
 */
public final class ModelArtifact {

    private static final Logger LOG = LoggerFactory.getLogger(ModelArtifact.class);
    /** Enough hex to tell two digests apart in a log line without printing all 64 characters. */
    private static final int DIGEST_PREFIX = 12;

    private final Path location;
    private final ArtifactManifest manifest;
    private final String manifestSha256;
    private final Map<String, byte[]> files;
    private final FloatMatrix itemEmbeddings;
    private final ItemIndex itemIndex;

    private ModelArtifact(Path location, ArtifactManifest manifest, String manifestSha256, Map<String, byte[]> files,
            FloatMatrix itemEmbeddings, ItemIndex itemIndex) {
        this.location = location;
        this.manifest = manifest;
        this.manifestSha256 = manifestSha256;
        this.files = files;
        this.itemEmbeddings = itemEmbeddings;
        this.itemIndex = itemIndex;
    }

    /** Opens an artifact directory or {@code .zip} archive; throws {@link ArtifactException} on any defect. */
    public static ModelArtifact open(Path dirOrZip) {
        Map<String, byte[]> files = ArtifactEntries.read(dirOrZip);
        byte[] manifestJson = files.remove(ArtifactFormat.MANIFEST);
        if (manifestJson == null) {
            throw new ArtifactException(subject(dirOrZip, ArtifactFormat.MANIFEST), "missing");
        }
        ArtifactManifest manifest = ArtifactManifest.parse(dirOrZip, manifestJson);
        manifest.files().forEach((name, digest) -> verify(dirOrZip, name, digest, files.get(name)));
        for (String name : files.keySet()) {
            if (!manifest.files().containsKey(name)) {
                throw new ArtifactException(subject(dirOrZip, name), "not listed in the manifest");
            }
        }
        String expectedId = CacheCompatibilityId.of(manifest.config(),
                manifest.files().get(ArtifactFormat.PREFILL).sha256(), manifest.files().get(ArtifactFormat.STEP).sha256());
        if (!expectedId.equals(manifest.cacheCompatibilityId())) {
            throw new ArtifactException(subject(dirOrZip, ArtifactFormat.MANIFEST), "cache_compatibility_id \"" + manifest.cacheCompatibilityId()
                    + "\" does not match the model config and graphs (expected \"" + expectedId + "\")");
        }
        // The decoded table replaces the raw bytes: keeping both would double the largest file.
        FloatMatrix itemEmbeddings = itemEmbeddings(dirOrZip, manifest.config(), files.remove(ArtifactFormat.ITEM_EMBEDDINGS));
        ItemIndex items = itemIndex(dirOrZip, manifest.config(), files.get(ArtifactFormat.ITEMS));
        ModelArtifact artifact = new ModelArtifact(dirOrZip, manifest, Sha256.of(manifestJson), Map.copyOf(files), itemEmbeddings, items);
        LOG.info("Opened model artifact {}: version {}, {} items, cache id {}",
                dirOrZip, manifest.modelVersion(), manifest.config().items(), manifest.cacheCompatibilityId());
        return artifact;
    }

    private static void verify(Path artifact, String name, FileDigest digest, byte[] content) {
        if (content == null) {
            throw new ArtifactException(subject(artifact, name), "missing");
        }
        // Size first: a short file is usually an interrupted copy, which deserves its own words.
        if (content.length != digest.bytes()) {
            throw new ArtifactException(subject(artifact, name),
                    "truncated or altered (manifest " + digest.bytes() + " bytes, file " + content.length + " bytes)");
        }
        String actual = Sha256.of(content);
        if (!actual.equals(digest.sha256())) {
            throw new ArtifactException(subject(artifact, name), "sha256 mismatch (manifest "
                    + digest.sha256().substring(0, DIGEST_PREFIX) + "…, file " + actual.substring(0, DIGEST_PREFIX) + "…)");
        }
    }

    /** The vocabulary must name exactly the catalogue rows of the item table, or top-K could return a nameless row. */
    private static ItemIndex itemIndex(Path artifact, ModelConfig config, byte[] tsv) {
        String subject = subject(artifact, ArtifactFormat.ITEMS);
        ItemIndex items;
        try {
            items = ItemIndex.read(new ByteArrayInputStream(tsv), subject);
        } catch (DataFormatException e) {
            throw new ArtifactException(subject, "not a valid vocabulary (" + e.getMessage() + ")");
        }
        if (items.size() != config.items()) {
            throw new ArtifactException(subject, items.size() + " items do not match the manifest's " + config.items());
        }
        return items;
    }

    private static FloatMatrix itemEmbeddings(Path artifact, ModelConfig config, byte[] npy) {
        String subject = subject(artifact, ArtifactFormat.ITEM_EMBEDDINGS);
        FloatMatrix table = NpyFile.decode(npy, subject);
        if (table.rows() != config.itemRows() || table.cols() != config.d()) {
            throw new ArtifactException(subject, "shape (" + table.rows() + ", " + table.cols() + ") does not match the manifest ("
                    + config.itemRows() + " rows × " + config.d() + ")");
        }
        return table;
    }

    public Path location() {
        return location;
    }

    public ArtifactManifest manifest() {
        return manifest;
    }

    /** The sha256 of manifest.json as stored; a release record names the artifact it means by this. */
    public String manifestSha256() {
        return manifestSha256;
    }

    public ModelConfig config() {
        return manifest.config();
    }

    public String modelVersion() {
        return manifest.modelVersion();
    }

    public String cacheCompatibilityId() {
        return manifest.cacheCompatibilityId();
    }

    /** A copy of the prefill ONNX graph, so no caller can alter the verified bytes. */
    public byte[] prefillGraph() {
        return files.get(ArtifactFormat.PREFILL).clone();
    }

    /** A copy of the step ONNX graph. */
    public byte[] stepGraph() {
        return files.get(ArtifactFormat.STEP).clone();
    }

    /** items.tsv, the external item id → row vocabulary, as a fresh stream over the verified bytes. */
    public InputStream itemVocabulary() {
        return new ByteArrayInputStream(files.get(ArtifactFormat.ITEMS));
    }

    /** The vocabulary (external item id → row), parsed and checked against the config on open. */
    public ItemIndex itemIndex() {
        return itemIndex;
    }

    /** The item table, (items + 2) × d; see {@link FloatMatrix} on sharing its array. */
    public FloatMatrix itemEmbeddings() {
        return itemEmbeddings;
    }

    @Override
    public String toString() {
        return "ModelArtifact(" + manifest.modelVersion() + " at " + location + ")";
    }
}

package io.collectivekv.artifact;

import io.collectivekv.model.ModelConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parsed {@code manifest.json}: which model this is, the config it was trained with, the id that
 * decides cache reuse, and the size and sha256 of every other file in the artifact.
 *
 * @param files    file name → digest, for every file in the artifact except the manifest itself
 * @param metadata free-form provenance (training data, metrics, command line); never interpreted
 */
public record ArtifactManifest(
        int formatVersion,
        String modelVersion,
        Instant createdAt,
        ModelConfig config,
        String cacheCompatibilityId,
        Map<String, FileDigest> files,
        Map<String, String> metadata) {

    /** Plain names only: a name with a path in it could point outside the artifact directory. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    public ArtifactManifest {
        if (formatVersion != ArtifactFormat.VERSION) {
            throw new IllegalArgumentException("format_version " + formatVersion + " is not supported (this build reads " + ArtifactFormat.VERSION + ")");
        }
        requireText("model_version", modelVersion);
        if (createdAt == null) {
            throw new IllegalArgumentException("created_at: missing");
        }
        if (config == null) {
            throw new IllegalArgumentException("model: missing");
        }
        requireText("cache_compatibility_id", cacheCompatibilityId);
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        for (Map.Entry<String, FileDigest> file : files.entrySet()) {
            if (!FILE_NAME.matcher(file.getKey()).matches() || file.getKey().equals(ArtifactFormat.MANIFEST)) {
                throw new IllegalArgumentException("files: \"" + file.getKey() + "\" is not a plain file name other than " + ArtifactFormat.MANIFEST);
            }
            if (file.getValue() == null) {
                throw new IllegalArgumentException("files: \"" + file.getKey() + "\" has no digest");
            }
        }
        for (String required : ArtifactFormat.REQUIRED_FILES) {
            if (!files.containsKey(required)) {
                throw new IllegalArgumentException("files: no entry for " + required);
            }
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (entry.getKey() == null || entry.getValue() == null) {
                throw new IllegalArgumentException("metadata: null key or value");
            }
        }
    }

    /** Parses and validates manifest bytes; errors name {@code artifact}, the manifest and the field. */
    public static ArtifactManifest parse(Path artifact, byte[] json) {
        return ManifestJson.read(ArtifactException.subject(artifact, ArtifactFormat.MANIFEST), json);
    }

    /** Pretty-printed UTF-8 JSON, fields in a fixed order so that equal manifests have equal bytes. */
    public byte[] toJson() {
        return ManifestJson.write(this);
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": missing");
        }
    }
}

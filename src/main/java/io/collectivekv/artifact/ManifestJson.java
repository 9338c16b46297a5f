package io.collectivekv.artifact;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.collectivekv.model.ConfigException;
import io.collectivekv.model.ModelConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of {@link ArtifactManifest}. Reading is strict — unknown fields, duplicate keys and
 * wrong types are refused — because a manifest that is only half understood could let a job reuse
 * caches it should not; each error names the field.
 */
final class ManifestJson {

    private static final String FORMAT_VERSION = "format_version";
    private static final String MODEL_VERSION = "model_version";
    private static final String CREATED_AT = "created_at";
    private static final String MODEL = "model";
    private static final String CACHE_COMPATIBILITY_ID = "cache_compatibility_id";
    private static final String FILES = "files";
    private static final String METADATA = "metadata";
    private static final String SHA256 = "sha256";
    private static final String BYTES = "bytes";
    private static final Set<String> TOP_LEVEL = Set.of(FORMAT_VERSION, MODEL_VERSION, CREATED_AT, MODEL, CACHE_COMPATIBILITY_ID, FILES, METADATA);
    private static final Set<String> FILE_FIELDS = Set.of(SHA256, BYTES);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final String subject;

    private ManifestJson(String subject) {
        this.subject = subject;
    }

    static ArtifactManifest read(String subject, byte[] json) {
        return new ManifestJson(subject).read(json);
    }

    static byte[] write(ArtifactManifest manifest) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put(FORMAT_VERSION, manifest.formatVersion());
        root.put(MODEL_VERSION, manifest.modelVersion());
        root.put(CREATED_AT, manifest.createdAt().toString());
        ObjectNode model = root.putObject(MODEL);
        // Counts and sizes as JSON numbers, names (encoder, kv mode) as strings: what a person expects to read.
        manifest.config().toMap().forEach((key, value) -> {
            if (value.matches("-?[0-9]+")) {
                model.put(key, Long.parseLong(value));
            } else {
                model.put(key, value);
            }
        });
        root.put(CACHE_COMPATIBILITY_ID, manifest.cacheCompatibilityId());
        ObjectNode files = root.putObject(FILES);
        manifest.files().forEach((name, digest) -> files.putObject(name).put(SHA256, digest.sha256()).put(BYTES, digest.bytes()));
        ObjectNode metadata = root.putObject(METADATA);
        manifest.metadata().forEach(metadata::put);
        try {
            return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    private ArtifactManifest read(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw fail("not valid JSON (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw fail("not valid JSON (" + e.getMessage() + ")");
        }
        if (root == null || root.isMissingNode()) {
            throw fail("not valid JSON (empty)");
        }
        if (!root.isObject()) {
            throw fail("not a JSON object");
        }
        // The version comes first: a later format may change every other field.
        long formatVersion = integer(root, FORMAT_VERSION, FORMAT_VERSION);
        if (formatVersion != ArtifactFormat.VERSION) {
            throw fail(FORMAT_VERSION + " " + formatVersion + " is not supported (this build reads " + ArtifactFormat.VERSION + ")");
        }
        refuseUnknown(root, TOP_LEVEL, "");
        try {
            return new ArtifactManifest(
                    ArtifactFormat.VERSION,
                    text(root, MODEL_VERSION, MODEL_VERSION),
                    instant(root),
                    config(object(root, MODEL, MODEL)),
                    text(root, CACHE_COMPATIBILITY_ID, CACHE_COMPATIBILITY_ID),
                    files(object(root, FILES, FILES)),
                    metadata(object(root, METADATA, METADATA)));
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    private Instant instant(JsonNode root) {
        String value = text(root, CREATED_AT, CREATED_AT);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw fail("field \"" + CREATED_AT + "\" is not an ISO-8601 instant: \"" + value + "\"");
        }
    }

    /** The config validates itself; its error names the key, and is placed under "model". */
    private ModelConfig config(JsonNode model) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : model.properties()) {
            JsonNode value = field.getValue();
            if (!value.isTextual() && !value.isIntegralNumber()) {
                throw fail("field \"" + MODEL + "." + field.getKey() + "\" must be a string or an integer, got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            values.put(field.getKey(), value.asText());
        }
        try {
            return ModelConfig.fromMap(values);
        } catch (ConfigException e) {
            throw fail("field \"" + MODEL + "\": " + e.getMessage());
        }
    }

    private Map<String, FileDigest> files(JsonNode files) {
        Map<String, FileDigest> digests = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> file : files.properties()) {
            String path = FILES + "." + file.getKey();
            JsonNode entry = file.getValue();
            if (!entry.isObject()) {
                throw fail("field \"" + path + "\" must be an object with sha256 and bytes");
            }
            refuseUnknown(entry, FILE_FIELDS, path + ".");
            String sha256 = text(entry, SHA256, path + "." + SHA256);
            long bytes = integer(entry, BYTES, path + "." + BYTES);
            try {
                digests.put(file.getKey(), new FileDigest(sha256, bytes));
            } catch (IllegalArgumentException e) {
                throw fail("field \"" + path + "\": " + e.getMessage());
            }
        }
        return digests;
    }

    private Map<String, String> metadata(JsonNode metadata) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : metadata.properties()) {
            if (!entry.getValue().isTextual()) {
                throw fail("field \"" + METADATA + "." + entry.getKey() + "\" must be a string");
            }
            values.put(entry.getKey(), entry.getValue().textValue());
        }
        return values;
    }

    private JsonNode object(JsonNode parent, String name, String path) {
        JsonNode node = present(parent, name, path);
        if (!node.isObject()) {
            throw fail("field \"" + path + "\" must be an object");
        }
        return node;
    }

    private String text(JsonNode parent, String name, String path) {
        JsonNode node = present(parent, name, path);
        if (!node.isTextual()) {
            throw fail("field \"" + path + "\" must be a string");
        }
        return node.textValue();
    }

    private long integer(JsonNode parent, String name, String path) {
        JsonNode node = present(parent, name, path);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw fail("field \"" + path + "\" must be an integer");
        }
        return node.longValue();
    }

    private JsonNode present(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            throw fail("field \"" + path + "\" is missing");
        }
        return node;
    }

    private void refuseUnknown(JsonNode node, Set<String> known, String prefix) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!known.contains(name)) {
                throw fail("field \"" + prefix + name + "\" is not part of format version " + ArtifactFormat.VERSION);
            }
        }
    }

    private ArtifactException fail(String problem) {
        return new ArtifactException(subject, problem);
    }
}

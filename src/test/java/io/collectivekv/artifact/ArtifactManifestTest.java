package io.collectivekv.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ArtifactManifestTest {

    private static final Path ARTIFACT = Path.of("/models/m1");
    private final ArtifactManifest manifest = SampleArtifacts.writer().manifest();

    @Test
    void jsonRoundTrip() {
        assertEquals(manifest, ArtifactManifest.parse(ARTIFACT, manifest.toJson()));
    }

    @Test
    void writesModelSizesAsNumbersAndNamesAsStrings() {
        String json = json();
        assertContains(json, "\"d\" : 64");
        assertContains(json, "\"encoder\" : \"hstu\"");
    }

    @Test
    void acceptsModelSizesWrittenAsStrings() {
        assertEquals(manifest, ArtifactManifest.parse(ARTIFACT, bytes(json().replace("\"d\" : 64", "\"d\" : \"64\""))));
    }

    @Test
    void namesAFieldOfTheWrongType() {
        assertRefused(json().replace("\"d\" : 64", "\"d\" : [64]"),
                "artifact /models/m1: manifest.json: field \"model.d\" must be a string or an integer, got array");
    }

    @Test
    void wrapsAnInvalidConfigWithTheFileName() {
        assertRefused(json().replace("\"d\" : 64", "\"d\" : 0"),
                "artifact /models/m1: manifest.json: field \"model\": d = 0: expected an integer in [2, 4096]");
    }

    @Test
    void namesAMissingField() {
        assertRefused(json().replaceFirst("\"model_version\" : \"[^\"]*\",", ""),
                "artifact /models/m1: manifest.json: field \"model_version\" is missing");
    }

    @Test
    void refusesUnknownFields() {
        assertRefused(json().replaceFirst("\\{", "{ \"metdata\" : {},"),
                "artifact /models/m1: manifest.json: field \"metdata\" is not part of format version 1");
    }

    @Test
    void refusesAManifestWithoutARequiredFile() {
        assertRefused(json().replaceFirst("\"step.onnx\" : \\{[^}]*},", ""),
                "artifact /models/m1: manifest.json: files: no entry for step.onnx");
    }

    @Test
    void refusesAMalformedDigest() {
        assertRefused(json().replaceFirst("\"sha256\" : \"[0-9a-f]*\"", "\"sha256\" : \"xyz\""),
                "artifact /models/m1: manifest.json: field \"files.prefill.onnx\": sha256 must be 64 lowercase hex digits, got \"xyz\"");
    }

    @Test
    void refusesFileNamesWithAPath() {
        assertRefused(json().replaceFirst("\"items.tsv\"", "\"../items.tsv\""),
                "artifact /models/m1: manifest.json: files: \"../items.tsv\" is not a plain file name other than manifest.json");
    }

    private String json() {
        return new String(manifest.toJson(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRefused(String json, String message) {
        ArtifactException e = assertThrows(ArtifactException.class, () -> ArtifactManifest.parse(ARTIFACT, bytes(json)));
        assertEquals(message, e.getMessage());
    }

    private static void assertContains(String text, String part) {
        if (!text.contains(part)) {
            throw new AssertionError("expected \"" + part + "\" in\n" + text);
        }
    }
}

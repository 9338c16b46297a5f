package io.collectivekv.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArtifactTest {

    @TempDir
    Path tmp;

    @Test
    void directoryRoundTrip() throws Exception {
        Path dir = tmp.resolve("m1");
        ArtifactWriter writer = SampleArtifacts.writer();
        writer.writeDirectory(dir);
        assertSameModel(writer, ModelArtifact.open(dir));
        assertEquals(Sha256.of(dir.resolve(ArtifactFormat.MANIFEST)), ModelArtifact.open(dir).manifestSha256());
    }

    @Test
    void zipRoundTrip() throws Exception {
        Path zip = tmp.resolve("m1.zip");
        ArtifactWriter writer = SampleArtifacts.writer();
        writer.writeZip(zip);
        assertSameModel(writer, ModelArtifact.open(zip));
    }

    @Test
    void directoryAndZipOfOneWriterHaveTheSameManifest() throws Exception {
        ArtifactWriter writer = SampleArtifacts.writer();
        writer.writeDirectory(tmp.resolve("m1"));
        writer.writeZip(tmp.resolve("m1.zip"));
        assertEquals(ModelArtifact.open(tmp.resolve("m1")).manifestSha256(), ModelArtifact.open(tmp.resolve("m1.zip")).manifestSha256());
    }

    @Test
    void refusesAFlippedByte() throws Exception {
        Path dir = written();
        flipByte(dir.resolve(ArtifactFormat.PREFILL));
        assertRefused(dir, "artifact " + dir + ": prefill.onnx: sha256 mismatch (manifest ");
    }

    @Test
    void refusesAFlippedByteInsideAZip() throws Exception {
        Path zip = tmp.resolve("m1.zip");
        SampleArtifacts.writer().writeZip(zip);
        rewriteZip(zip, ArtifactFormat.PREFILL, bytes -> {
            bytes[0] ^= 1;
            return bytes;
        });
        assertRefused(zip, "artifact " + zip + ": prefill.onnx: sha256 mismatch (manifest ");
    }

    @Test
    void refusesATruncatedFile() throws Exception {
        Path dir = written();
        Path step = dir.resolve(ArtifactFormat.STEP);
        long size = Files.size(step);
        Files.write(step, Arrays.copyOf(Files.readAllBytes(step), 5));
        assertRefused(dir, "artifact " + dir + ": step.onnx: truncated or altered (manifest " + size + " bytes, file 5 bytes)");
    }

    @Test
    void refusesAMissingFile() throws Exception {
        Path dir = written();
        Files.delete(dir.resolve(ArtifactFormat.ITEMS));
        assertRefused(dir, "artifact " + dir + ": items.tsv: missing");
    }

    @Test
    void refusesAMissingManifest() throws Exception {
        Path dir = written();
        Files.delete(dir.resolve(ArtifactFormat.MANIFEST));
        assertRefused(dir, "artifact " + dir + ": manifest.json: missing");
    }

    @Test
    void refusesAnotherFormatVersion() throws Exception {
        Path dir = written();
        rewriteManifestJson(dir, root -> root.put("format_version", 2));
        assertRefused(dir, "artifact " + dir + ": manifest.json: format_version 2 is not supported (this build reads 1)");
    }

    @Test
    void refusesAnUnlistedFile() throws Exception {
        Path dir = written();
        Files.writeString(dir.resolve("notes.txt"), "not part of the model");
        assertRefused(dir, "artifact " + dir + ": notes.txt: not listed in the manifest");
    }

    @Test
    void refusesAManifestThatIsNotJson() throws Exception {
        Path dir = written();
        Files.writeString(dir.resolve(ArtifactFormat.MANIFEST), "{ this is not json");
        assertRefused(dir, "artifact " + dir + ": manifest.json: not valid JSON (");
    }

    @Test
    void refusesAVocabularyOfTheWrongSize() throws Exception {
        Path dir = written();
        byte[] tsv = "item\trow\ni0\t2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(dir.resolve(ArtifactFormat.ITEMS), tsv);
        ArtifactManifest manifest = ArtifactManifest.parse(dir, Files.readAllBytes(dir.resolve(ArtifactFormat.MANIFEST)));
        Map<String, FileDigest> files = new LinkedHashMap<>(manifest.files());
        files.put(ArtifactFormat.ITEMS, FileDigest.of(tsv));
        Files.write(dir.resolve(ArtifactFormat.MANIFEST), new ArtifactManifest(manifest.formatVersion(), manifest.modelVersion(), manifest.createdAt(),
                manifest.config(), manifest.cacheCompatibilityId(), files, manifest.metadata()).toJson());
        assertRefused(dir, "artifact " + dir + ": items.tsv: 1 items do not match the manifest's 10");
    }

    @Test
    void refusesAnItemTableOfTheWrongShape() throws Exception {
        Path dir = written();
        byte[] table = NpyFile.encode(SampleArtifacts.embeddings(10, 64, 3));
        Files.write(dir.resolve(ArtifactFormat.ITEM_EMBEDDINGS), table);
        ArtifactManifest manifest = ArtifactManifest.parse(dir, Files.readAllBytes(dir.resolve(ArtifactFormat.MANIFEST)));
        Map<String, FileDigest> files = new LinkedHashMap<>(manifest.files());
        files.put(ArtifactFormat.ITEM_EMBEDDINGS, FileDigest.of(table));
        Files.write(dir.resolve(ArtifactFormat.MANIFEST), new ArtifactManifest(manifest.formatVersion(), manifest.modelVersion(), manifest.createdAt(),
                manifest.config(), manifest.cacheCompatibilityId(), files, manifest.metadata()).toJson());
        assertRefused(dir, "artifact " + dir + ": item_embeddings.npy: shape (10, 64) does not match the manifest (12 rows × 64)");
    }

    @Test
    void refusesACacheIdThatDoesNotMatchTheGraphs() throws Exception {
        Path dir = written();
        rewriteManifestJson(dir, root -> root.put("cache_compatibility_id", "collective-L2-d64-u2-m1024-0000000000000000"));
        assertRefused(dir, "artifact " + dir + ": manifest.json: cache_compatibility_id \"collective-L2-d64-u2-m1024-0000000000000000\" does not match");
    }

    @Test
    void refusesAPathThatIsNeitherDirectoryNorZip() {
        Path nowhere = tmp.resolve("nowhere");
        assertRefused(nowhere, "artifact " + nowhere + ": does not exist");
    }

    @Test
    void refusesAFileThatIsNotAZip() throws Exception {
        Path file = tmp.resolve("m1.zip");
        Files.writeString(file, "not a zip");
        assertRefused(file, "artifact " + file + ": not a readable zip archive");
    }

    private Path written() throws IOException {
        Path dir = tmp.resolve("m1");
        SampleArtifacts.writer().writeDirectory(dir);
        return dir;
    }

    private static void assertSameModel(ArtifactWriter writer, ModelArtifact artifact) throws IOException {
        assertEquals(SampleArtifacts.CONFIG, artifact.config());
        assertEquals(SampleArtifacts.MODEL_VERSION, artifact.modelVersion());
        assertEquals(writer.manifest(), artifact.manifest());
        assertEquals(writer.manifest().cacheCompatibilityId(), artifact.cacheCompatibilityId());
        assertArrayEquals(SampleArtifacts.PREFILL, artifact.prefillGraph());
        assertArrayEquals(SampleArtifacts.STEP, artifact.stepGraph());
        try (InputStream items = artifact.itemVocabulary()) {
            assertArrayEquals(SampleArtifacts.ITEMS_TSV, items.readAllBytes());
        }
        assertEquals(SampleArtifacts.embeddings(), artifact.itemEmbeddings());
        assertEquals(Map.of("data", "synthetic", "ndcg@10", "0.42"), artifact.manifest().metadata());
    }

    private static void assertRefused(Path artifact, String messageStart) {
        ArtifactException e = assertThrows(ArtifactException.class, () -> ModelArtifact.open(artifact));
        assertTrue(e.getMessage().startsWith(messageStart), () -> "expected \"" + messageStart + "…\", got \"" + e.getMessage() + "\"");
    }

    private static void flipByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
    }

    private static void rewriteManifestJson(Path dir, UnaryOperator<ObjectNode> edit) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Path manifest = dir.resolve(ArtifactFormat.MANIFEST);
        ObjectNode root = (ObjectNode) mapper.readTree(manifest.toFile());
        mapper.writeValue(manifest.toFile(), edit.apply(root));
    }

    private static void rewriteZip(Path zip, String entryName, UnaryOperator<byte[]> edit) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile in = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                try (InputStream content = in.getInputStream(entry)) {
                    byte[] bytes = content.readAllBytes();
                    entries.put(entry.getName(), entry.getName().equals(entryName) ? edit.apply(bytes) : bytes);
                }
            }
        }
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
    }
}

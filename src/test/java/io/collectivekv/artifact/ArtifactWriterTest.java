package io.collectivekv.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactWriterTest {

    @TempDir
    Path tmp;

    @Test
    void modelVersionNamesTheModelTheMinuteAndTheGraphs() {
        String version = ArtifactWriter.modelVersion(SampleArtifacts.CONFIG, SampleArtifacts.PREFILL, SampleArtifacts.STEP,
                Instant.parse("2026-11-28T13:24:59Z"));
        assertTrue(version.matches("hstu-collective-20261128T1324Z-[0-9a-f]{6}"), version);
    }

    @Test
    void cacheIdDependsOnTheWeightsOnly() {
        String id = SampleArtifacts.writer().manifest().cacheCompatibilityId();
        assertTrue(id.matches("collective-L2-d64-u2-m1024-[0-9a-f]{16}"), id);
        ArtifactWriter sameWeights = new ArtifactWriter(SampleArtifacts.CONFIG, "another-version", SampleArtifacts.PREFILL, SampleArtifacts.STEP,
                "other\titems\n".getBytes(StandardCharsets.UTF_8), SampleArtifacts.embeddings(), Map.of());
        assertEquals(id, sameWeights.manifest().cacheCompatibilityId());
        ArtifactWriter otherWeights = new ArtifactWriter(SampleArtifacts.CONFIG, SampleArtifacts.MODEL_VERSION, SampleArtifacts.PREFILL,
                "retrained step".getBytes(StandardCharsets.UTF_8), SampleArtifacts.ITEMS_TSV, SampleArtifacts.embeddings(), Map.of());
        assertNotEquals(id, otherWeights.manifest().cacheCompatibilityId());
    }

    @Test
    void refusesAnItemTableThatDoesNotFitTheConfig() {
        assertThrows(IllegalArgumentException.class, () -> new ArtifactWriter(SampleArtifacts.CONFIG, SampleArtifacts.MODEL_VERSION,
                SampleArtifacts.PREFILL, SampleArtifacts.STEP, SampleArtifacts.ITEMS_TSV, SampleArtifacts.embeddings(10, 64, 1), Map.of()));
    }

    @Test
    void neverOverwritesAnArtifactAndLeavesNoTemporaryFiles() throws Exception {
        ArtifactWriter writer = SampleArtifacts.writer();
        writer.writeDirectory(tmp.resolve("m1"));
        writer.writeZip(tmp.resolve("m1.zip"));
        assertThrows(FileAlreadyExistsException.class, () -> writer.writeDirectory(tmp.resolve("m1")));
        assertThrows(FileAlreadyExistsException.class, () -> writer.writeZip(tmp.resolve("m1.zip")));
        try (Stream<Path> listing = Files.list(tmp)) {
            assertEquals(2, listing.count());
        }
    }

    @Test
    void itemTableIsReadableOnItsOwn() throws Exception {
        Path dir = tmp.resolve("m1");
        SampleArtifacts.writer().writeDirectory(dir);
        assertEquals(SampleArtifacts.embeddings(), NpyFile.read(dir.resolve(ArtifactFormat.ITEM_EMBEDDINGS)));
    }
}

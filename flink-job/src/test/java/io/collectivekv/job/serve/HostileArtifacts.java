package io.collectivekv.job.serve;

import io.collectivekv.artifact.ArtifactWriter;
import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Broken copies of a good artifact, as a bad copy, a bad export or a hand-edited manifest would
 * leave them. Those written through {@link ArtifactWriter} have a manifest that agrees with every
 * file (sizes, sha256, cache id), so only what lies beyond the manifest's checks can refuse them.
 */
final class HostileArtifacts {
    private HostileArtifacts() {}

    /** A copy whose step.onnx lost its second half, manifest untouched (an interrupted copy). */
    static Path truncatedCopy(Path good, Path target) throws IOException {
        Files.createDirectories(target);
        try (var files = Files.list(good)) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        byte[] step = Files.readAllBytes(target.resolve("step.onnx"));
        Files.write(target.resolve("step.onnx"), Arrays.copyOf(step, step.length / 2));
        return target;
    }

    /** step.onnx cut in half and a manifest written for exactly those bytes: only ONNX Runtime can refuse it. */
    static Path truncatedAndResealed(Path good, String version, Path target) throws IOException {
        ModelArtifact a = ModelArtifact.open(good);
        byte[] step = a.stepGraph();
        return write(a, a.config(), version, Arrays.copyOf(step, step.length / 2), target);
    }

    /** The same graphs and item table under a manifest that claims another shape (one layer more, say). */
    static Path withConfig(Path good, ModelConfig claimed, String version, Path target) throws IOException {
        ModelArtifact a = ModelArtifact.open(good);
        return write(a, claimed, version, a.stepGraph(), target);
    }

    /** The prefill graph of one model beside the step graph of another of the same shape (a mixed-up export). */
    static Path mixedGraphs(Path good, Path stepFrom, String version, Path target) throws IOException {
        ModelArtifact a = ModelArtifact.open(good);
        return write(a, a.config(), version, ModelArtifact.open(stepFrom).stepGraph(), target);
    }

    private static Path write(ModelArtifact a, ModelConfig config, String version, byte[] step, Path target) throws IOException {
        new ArtifactWriter(config, version, a.prefillGraph(), step, a.itemIndex().toTsv(), a.itemEmbeddings(), Map.of()).writeDirectory(target);
        return target;
    }
}

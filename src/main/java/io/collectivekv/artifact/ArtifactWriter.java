package io.collectivekv.artifact;

import io.collectivekv.model.ModelConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds a model artifact from the trainer's outputs and writes it as a directory or a zip archive.
 * The manifest is fixed at construction, so a directory and a zip written by one writer describe
 * the same model with byte-identical manifests. Writes are atomic (a sibling temporary file or
 * directory, then a rename), because a job watching for artifacts must never see half of one, and
 * an existing artifact is never overwritten.
 */
public final class ArtifactWriter {

    private static final DateTimeFormatter VERSION_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
    private static final int VERSION_DIGEST_CHARS = 6;

    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final ArtifactManifest manifest;
    private final byte[] manifestJson;

    /**
     * @param itemEmbeddings the item table, {@code config.itemRows()} × {@code config.d()}
     * @param metadata       free-form provenance for the manifest (training data, metrics, command line)
     */
    public ArtifactWriter(ModelConfig config, String modelVersion, byte[] prefillGraph, byte[] stepGraph, byte[] itemsTsv,
                          FloatMatrix itemEmbeddings, Map<String, String> metadata) {
        // Refuse here what open() would refuse later, when the trainer's run has long finished.
        if (itemEmbeddings.rows() != config.itemRows() || itemEmbeddings.cols() != config.d()) {
            throw new IllegalArgumentException("item embeddings " + itemEmbeddings + " do not match the config ("
                    + config.itemRows() + " rows × " + config.d() + ")");
        }
        // Copies: the digests are taken now, and the bytes written later must be the same.
        files.put(ArtifactFormat.PREFILL, prefillGraph.clone());
        files.put(ArtifactFormat.STEP, stepGraph.clone());
        files.put(ArtifactFormat.ITEMS, itemsTsv.clone());
        files.put(ArtifactFormat.ITEM_EMBEDDINGS, NpyFile.encode(itemEmbeddings));
        Map<String, FileDigest> digests = new LinkedHashMap<>();
        files.forEach((name, content) -> digests.put(name, FileDigest.of(content)));
        String cacheId = CacheCompatibilityId.of(config, digests.get(ArtifactFormat.PREFILL).sha256(), digests.get(ArtifactFormat.STEP).sha256());
        manifest = new ArtifactManifest(ArtifactFormat.VERSION, modelVersion, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                config, cacheId, digests, metadata);
        manifestJson = manifest.toJson();
    }

    /**
     * A model version such as {@code hstu-collective-20261128T1324Z-ab12cd}: readable in a log, sorted by
     * time, and different for different graphs trained in the same minute.
     */
    public static String modelVersion(ModelConfig config, byte[] prefillGraph, byte[] stepGraph, Instant trainedAt) {
        String digest = CacheCompatibilityId.graphsDigest(Sha256.of(prefillGraph), Sha256.of(stepGraph));
        return config.encoder().id() + "-" + config.kvMode().id() + "-" + VERSION_TIME.format(trainedAt) + "-" + digest.substring(0, VERSION_DIGEST_CHARS);
    }

    public ArtifactManifest manifest() {
        return manifest;
    }

    /** Writes the artifact as a new directory {@code dir}, which must not exist yet. */
    public void writeDirectory(Path dir) throws IOException {
        Path target = dir.toAbsolutePath();
        refuseExisting(target);
        Files.createDirectories(target.getParent());
        Path temporary = Files.createDirectory(temporarySibling(target));
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                writeDurably(temporary.resolve(file.getKey()), file.getValue());
            }
            writeDurably(temporary.resolve(ArtifactFormat.MANIFEST), manifestJson);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                deleteTree(temporary);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Writes the artifact as a new zip archive {@code zip}, which must not exist yet; entries sit at the root. */
    public void writeZip(Path zip) throws IOException {
        Path target = zip.toAbsolutePath();
        refuseExisting(target);
        Files.createDirectories(target.getParent());
        Path temporary = temporarySibling(target);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 ZipOutputStream out = new ZipOutputStream(Channels.newOutputStream(channel))) {
                // The manifest first, so a person listing the archive sees what it is.
                putEntry(out, ArtifactFormat.MANIFEST, manifestJson);
                for (Map.Entry<String, byte[]> file : files.entrySet()) {
                    putEntry(out, file.getKey(), file.getValue());
                }
                out.finish();
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void putEntry(ZipOutputStream out, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        // The creation time rather than the clock: writing the same artifact twice gives the same archive.
        entry.setTime(manifest.createdAt().toEpochMilli());
        out.putNextEntry(entry);
        out.write(content);
        out.closeEntry();
    }

    /**
     * A fresh name next to the target, on the same file system so the rename is atomic. Not
     * Files.createTemp*: those make owner-only files, and the permissions would survive the rename
     * and hide the artifact from a job running as another user.
     */
    private static Path temporarySibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    }

    private static void refuseExisting(Path target) throws FileAlreadyExistsException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "an artifact is never overwritten; choose a new model version");
        }
    }

    /** Forced to disk before the rename, so a crash cannot leave a renamed artifact with empty files. */
    private static void writeDurably(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

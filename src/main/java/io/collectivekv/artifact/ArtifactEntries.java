package io.collectivekv.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The files at an artifact's root, read into memory from a directory or a zip archive. Artifacts are
 * megabytes, and holding the bytes means the sha256 that was checked is of the bytes that are used.
 * An artifact is flat: a subdirectory, or a zip entry below the root, is refused.
 */
final class ArtifactEntries {

    private ArtifactEntries() {
    }

    /** File name → content, in name order. */
    static Map<String, byte[]> read(Path location) {
        if (Files.isDirectory(location)) {
            return fromDirectory(location);
        }
        if (Files.isRegularFile(location)) {
            return fromZip(location);
        }
        throw new ArtifactException("artifact " + location, "does not exist (expected a directory or a .zip archive)");
    }

    private static Map<String, byte[]> fromDirectory(Path dir) {
        List<Path> paths;
        try (Stream<Path> listing = Files.list(dir)) {
            paths = new ArrayList<>(listing.toList());
        } catch (IOException e) {
            throw new ArtifactException("artifact " + dir, "cannot list the directory (" + e + ")", e);
        }
        Collections.sort(paths);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (Path path : paths) {
            String name = path.getFileName().toString();
            if (Files.isDirectory(path)) {
                throw new ArtifactException(ArtifactException.subject(dir, name), "a subdirectory, but an artifact holds only files at its root");
            }
            try {
                entries.put(name, Files.readAllBytes(path));
            } catch (IOException e) {
                throw new ArtifactException(ArtifactException.subject(dir, name), "cannot read (" + e + ")", e);
            }
        }
        return entries;
    }

    private static Map<String, byte[]> fromZip(Path zip) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            List<? extends ZipEntry> zipEntries = Collections.list(archive.entries());
            for (ZipEntry entry : zipEntries) {
                String name = entry.getName();
                if (entry.isDirectory() || name.contains("/") || name.contains("\\")) {
                    throw new ArtifactException(ArtifactException.subject(zip, name), "not a file at the root of the archive");
                }
                try (InputStream in = archive.getInputStream(entry)) {
                    if (entries.put(name, in.readAllBytes()) != null) {
                        throw new ArtifactException(ArtifactException.subject(zip, name), "appears twice in the archive");
                    }
                }
            }
        } catch (IOException e) {
            throw new ArtifactException("artifact " + zip, "not a readable zip archive (" + e.getMessage() + ")", e);
        }
        return entries;
    }
}

package io.collectivekv.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small data files for reader tests, written from lines. */
final class TextFiles {

    private TextFiles() {
    }

    static Path write(Path dir, String name, String... lines) {
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}

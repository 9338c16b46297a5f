package io.collectivekv.data;

import java.nio.file.Path;

/** A data file that cannot be read; the message starts with {@code <file>:<line>:} (or {@code <file>:}) so it can be found. */
public final class DataFormatException extends RuntimeException {

    DataFormatException(Path file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
    }

    DataFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}

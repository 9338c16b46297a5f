package io.collectivekv.data;

import java.nio.file.Path;

/** A data file that cannot be read; the message starts with {@code <file>:<line>:} (or {@code <file>:}) so it can be found. */
public final class DataFormatException extends RuntimeException {

    DataFormatException(String source, int line, String problem) {
        super(source + ":" + line + ": " + problem);
    }

    DataFormatException(String source, String problem) {
        super(source + ": " + problem);
    }

    DataFormatException(Path file, int line, String problem) {
        this(file.toString(), line, problem);
    }

    DataFormatException(Path file, String problem) {
        this(file.toString(), problem);
    }
}

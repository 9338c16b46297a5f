package io.collectivekv.data;

import java.nio.file.Path;

/** One non-blank line of a data file, with what is needed to report a problem in it. */
record Line(Path file, int number, String text) {

    DataFormatException malformed(String problem) {
        return new DataFormatException(file, number, problem);
    }
}

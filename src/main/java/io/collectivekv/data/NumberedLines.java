package io.collectivekv.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads UTF-8 text (a file, or a stream named by its source) as numbered lines. Blank lines are skipped
 * (a trailing newline or an empty last line is common and harmless) but still counted, so reported line
 * numbers match an editor's.
 */
final class NumberedLines {

    private NumberedLines() {
    }

    /** Calls {@code handler} for every non-blank line; a file without any is an error. */
    static void forEach(Path file, Consumer<Line> handler) {
        if (scan(file, handler, false) == 0) {
            throw new DataFormatException(file, "empty file");
        }
    }

    /**
     * Calls {@code handler} for every non-blank line of {@code in}, reporting problems against {@code source};
     * a stream without any is an error. The stream is not closed.
     */
    static void forEach(InputStream in, String source, Consumer<Line> handler) {
        if (scan(in, source, handler, false) == 0) {
            throw new DataFormatException(source, "empty file");
        }
    }

    /** Opens a file for reading; a missing file is a {@link DataFormatException}. */
    static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The first non-blank line; a file without any is an error. */
    static Line first(Path file) {
        Line[] first = new Line[1];
        scan(file, line -> first[0] = line, true);
        if (first[0] == null) {
            throw new DataFormatException(file, "empty file");
        }
        return first[0];
    }

    private static int scan(Path file, Consumer<Line> handler, boolean stopAfterFirst) {
        try (InputStream in = open(file)) {
            return scan(in, file.toString(), handler, stopAfterFirst);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static int scan(InputStream in, String source, Consumer<Line> handler, boolean stopAfterFirst) {
        int number = 0;
        int nonBlank = 0;
        // A decoder of its own reports malformed input (a plain InputStreamReader would replace it silently).
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()));
        try {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                nonBlank++;
                handler.accept(new Line(source, number, text));
                if (stopAfterFirst) {
                    break;
                }
            }
        } catch (CharacterCodingException e) {
            throw new DataFormatException(source, number + 1, "not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
        return nonBlank;
    }
}

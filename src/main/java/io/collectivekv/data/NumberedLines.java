package io.collectivekv.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads a UTF-8 text file as numbered lines. Blank lines are skipped (a trailing newline or an empty
 * last line is common and harmless) but still counted, so reported line numbers match an editor's.
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
        int number = 0;
        int nonBlank = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                nonBlank++;
                handler.accept(new Line(file, number, text));
                if (stopAfterFirst) {
                    break;
                }
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        } catch (CharacterCodingException e) {
            throw new DataFormatException(file, number + 1, "not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return nonBlank;
    }
}

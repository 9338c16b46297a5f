package io.collectivekv.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Plain {@code user,item,timestamp} lines in any order, with an optional header line. Fields are
 * trimmed; quoting is not supported (ids are expected to be plain tokens).
 */
final class CsvReader {
    private static final String HEADER = "user,item,timestamp";

    private CsvReader() {
    }

    static UserSequences read(Path file) {
        TimestampedInteractions interactions = new TimestampedInteractions();
        boolean[] first = {true};
        NumberedLines.forEach(file, line -> {
            String[] fields = Arrays.stream(Fields.separatedBy(',', line.text())).map(String::strip).toArray(String[]::new);
            if (fields.length != 3) {
                throw line.malformed("expected 3 comma-separated fields (user,item,timestamp), found " + fields.length);
            }
            boolean header = first[0] && HEADER.equalsIgnoreCase(String.join(",", fields));
            first[0] = false;
            if (!header) {
                interactions.add(line, fields[0], fields[1], fields[2]);
            }
        });
        if (interactions.isEmpty()) {
            throw new DataFormatException(file, "no interactions after the header");
        }
        return interactions.toSequences();
    }
}

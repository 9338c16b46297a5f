package io.collectivekv.data;

import java.nio.file.Path;

/**
 * GroupLens {@code u.data}: tab-separated {@code user item rating unix_timestamp}, in no particular
 * order. Every rating counts as an interaction, so the rating itself is not used.
 */
final class GroupLensReader {

    private GroupLensReader() {
    }

    static UserSequences read(Path file) {
        TimestampedInteractions interactions = new TimestampedInteractions();
        NumberedLines.forEach(file, line -> {
            String[] fields = Fields.separatedBy('\t', line.text());
            if (fields.length != 4) {
                throw line.malformed("expected 4 tab-separated fields, found " + fields.length);
            }
            interactions.add(line, fields[0], fields[1], fields[3]);
        });
        return interactions.toSequences();
    }
}

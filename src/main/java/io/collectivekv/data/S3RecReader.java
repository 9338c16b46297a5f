package io.collectivekv.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** S3-Rec's format: one user per line, {@code user i1 i2 ...}, items in time order. */
final class S3RecReader {

    private S3RecReader() {
    }

    static UserSequences read(Path file) {
        Map<String, List<String>> itemsByUser = new LinkedHashMap<>();
        Map<String, Integer> lineOfUser = new LinkedHashMap<>();
        NumberedLines.forEach(file, line -> {
            String[] fields = Fields.whitespace(line.text());
            if (fields.length < 2) {
                throw line.malformed("expected a user followed by at least one item, found only the user");
            }
            // A second line for the same user would mean concatenated or corrupt files, not more history.
            Integer earlier = lineOfUser.putIfAbsent(fields[0], line.number());
            if (earlier != null) {
                throw line.malformed("user " + fields[0] + " already listed on line " + earlier);
            }
            itemsByUser.put(fields[0], Arrays.asList(fields).subList(1, fields.length));
        });
        return UserSequences.of(itemsByUser);
    }
}

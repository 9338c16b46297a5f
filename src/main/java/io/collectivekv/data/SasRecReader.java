package io.collectivekv.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SASRec's format: one {@code user item} interaction per line, each user's lines already in time order. */
final class SasRecReader {

    private SasRecReader() {
    }

    static UserSequences read(Path file) {
        Map<String, List<String>> itemsByUser = new LinkedHashMap<>();
        NumberedLines.forEach(file, line -> {
            String[] fields = Fields.whitespace(line.text());
            if (fields.length != 2) {
                throw line.malformed("expected 2 whitespace-separated fields (user item), found " + fields.length);
            }
            itemsByUser.computeIfAbsent(fields[0], user -> new ArrayList<>()).add(fields[1]);
        });
        return UserSequences.of(itemsByUser);
    }
}

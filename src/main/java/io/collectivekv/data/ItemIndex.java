package io.collectivekv.data;

import io.collectivekv.model.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps external item ids to rows of the model's item table. Rows 0 (padding) and 1 (unknown item) are
 * reserved, so the N catalogue items take rows 2..N+1. Part of a model artifact as {@value #FILE_NAME}.
 */
public final class ItemIndex {
    public static final int PADDING_ROW = ModelConfig.PADDING_ROW;
    public static final int UNKNOWN_ROW = ModelConfig.UNKNOWN_ROW;
    public static final int FIRST_ITEM_ROW = ModelConfig.RESERVED_ROWS;
    public static final String FILE_NAME = "items.tsv";

    private static final String HEADER = "item\trow";

    private final List<String> idByRow;
    private final Map<String, Integer> rowById;

    private ItemIndex(List<String> idsInRowOrder) {
        this.idByRow = List.copyOf(idsInRowOrder);
        this.rowById = new HashMap<>(idsInRowOrder.size() * 2);
        for (int i = 0; i < idByRow.size(); i++) {
            rowById.put(idByRow.get(i), FIRST_ITEM_ROW + i);
        }
    }

    /**
     * Numeric ids (every id parses as a long) are ordered by value, so that a data set numbered 1..N maps
     * item k to row k+1 and results can be compared by eye; other ids keep their order of first appearance.
     */
    public static ItemIndex of(UserSequences data) {
        Set<String> seen = new LinkedHashSet<>();
        for (UserSequence user : data) {
            seen.addAll(user.items());
        }
        List<String> ids = new ArrayList<>(seen);
        if (ids.stream().allMatch(ItemIndex::isLong)) {
            // Equal values with different spellings ("7", "07") are still distinct ids: order those by text.
            ids.sort(Comparator.<String>comparingLong(Long::parseLong).thenComparing(Comparator.naturalOrder()));
        }
        return new ItemIndex(ids);
    }

    /** The row of an external id, or {@link #UNKNOWN_ROW} if the catalogue does not have it. */
    public int row(String externalId) {
        return rowById.getOrDefault(externalId, UNKNOWN_ROW);
    }

    public String externalId(int row) {
        if (row < FIRST_ITEM_ROW || row >= tableRows()) {
            throw new IllegalArgumentException("row " + row + " is not a catalogue row (" + FIRST_ITEM_ROW + ".." + (tableRows() - 1) + ")");
        }
        return idByRow.get(row - FIRST_ITEM_ROW);
    }

    /** N, the number of catalogue items. */
    public int size() {
        return idByRow.size();
    }

    /** N + 2: the rows of the item table, reserved rows included. */
    public int tableRows() {
        return FIRST_ITEM_ROW + size();
    }

    public void write(Path file) {
        try {
            Files.write(file, toTsv(file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The file's content, as the model artifact stores it under {@link #FILE_NAME}. */
    public byte[] toTsv() {
        return toTsv(FILE_NAME);
    }

    private byte[] toTsv(String target) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < idByRow.size(); i++) {
            String id = idByRow.get(i);
            if (id.indexOf('\t') >= 0 || id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0) {
                throw new IllegalArgumentException(target + ": item id '" + id + "' contains a tab or a line break");
            }
            out.append(id).append('\t').append(FIRST_ITEM_ROW + i).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads what {@link #write} wrote; see {@link #read(InputStream, String)}. */
    public static ItemIndex read(Path file) {
        try (InputStream in = NumberedLines.open(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads an index in the format {@link #write} writes (e.g. from a model artifact), checking that rows
     * run 2, 3, ... in order and ids are unique. Errors read {@code <source>:<line>: ...}; the stream is
     * not closed.
     */
    public static ItemIndex read(InputStream in, String source) {
        List<String> ids = new ArrayList<>();
        Set<String> unique = new HashSet<>();
        boolean[] header = {true};
        NumberedLines.forEach(in, source, line -> {
            if (header[0]) {
                if (!line.text().equals(HEADER)) {
                    throw line.malformed("expected the header 'item<TAB>row'");
                }
                header[0] = false;
                return;
            }
            String[] fields = Fields.separatedBy('\t', line.text());
            if (fields.length != 2) {
                throw line.malformed("expected 2 tab-separated fields (item, row), found " + fields.length);
            }
            int expected = FIRST_ITEM_ROW + ids.size();
            if (!fields[1].equals(Integer.toString(expected))) {
                throw line.malformed("expected row " + expected + ", found '" + fields[1] + "'");
            }
            if (fields[0].isEmpty()) {
                throw line.malformed("empty item id");
            }
            if (!unique.add(fields[0])) {
                throw line.malformed("item '" + fields[0] + "' listed twice");
            }
            ids.add(fields[0]);
        });
        if (ids.isEmpty()) {
            throw new DataFormatException(source, "no items after the header");
        }
        return new ItemIndex(ids);
    }

    private static boolean isLong(String text) {
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

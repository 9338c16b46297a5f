package io.collectivekv.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The interaction file formats we read, and the one entry point that reads any of them. */
public enum DataFormat {
    /** {@code user item} per line, chronological per user (SASRec, e.g. ml-1m.txt). */
    SASREC(SasRecReader::read),
    /** {@code user i1 i2 ...} per line (S3-Rec, e.g. Beauty.txt). */
    S3REC(S3RecReader::read),
    /** GroupLens {@code u.data}: {@code user<TAB>item<TAB>rating<TAB>timestamp}, unsorted. */
    GROUPLENS(GroupLensReader::read),
    /** {@code user,item,timestamp}, unsorted, optional header. */
    CSV(CsvReader::read);

    private final Function<Path, UserSequences> reader;

    DataFormat(Function<Path, UserSequences> reader) {
        this.reader = reader;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DataFormat parse(String id) {
        for (DataFormat format : values()) {
            if (format.id().equals(id)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown data format '" + id + "': expected one of "
                + Arrays.stream(values()).map(DataFormat::id).collect(Collectors.joining(", ")));
    }

    /**
     * By file name first ({@code u.data}, {@code *.csv}); otherwise by the first non-blank line, since
     * the two SASRec-style formats differ only in how many ids a line holds.
     */
    public static DataFormat detect(Path file) {
        String name = String.valueOf(file.getFileName());
        if (name.equals("u.data")) {
            return GROUPLENS;
        }
        if (name.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return CSV;
        }
        Line first = NumberedLines.first(file);
        int fields = Fields.whitespace(first.text()).length;
        if (fields < 2) {
            throw first.malformed("cannot detect the format: expected 2 fields (sasrec) or more (s3rec), found " + fields);
        }
        return fields == 2 ? SASREC : S3REC;
    }

    public static UserSequences read(Path file) {
        return read(file, detect(file));
    }

    public static UserSequences read(Path file, DataFormat format) {
        return format.reader.apply(file);
    }
}

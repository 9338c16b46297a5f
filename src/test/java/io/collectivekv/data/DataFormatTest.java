package io.collectivekv.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DataFormatTest {
    @TempDir
    Path dir;

    @Test
    void parsesIdsAndListsThemOnError() {
        for (DataFormat format : DataFormat.values()) {
            assertEquals(format, DataFormat.parse(format.id()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataFormat.parse("tsv"));
        assertEquals("unknown data format 'tsv': expected one of sasrec, s3rec, grouplens, csv", e.getMessage());
    }

    @Test
    void detectsByNameThenByFirstLine() {
        assertEquals(DataFormat.GROUPLENS, DataFormat.detect(dir.resolve("u.data")));
        assertEquals(DataFormat.CSV, DataFormat.detect(dir.resolve("Events.CSV")));
        assertEquals(DataFormat.SASREC, DataFormat.detect(TextFiles.write(dir, "a.txt", "", "1 2", "1 3 4")));
        assertEquals(DataFormat.S3REC, DataFormat.detect(TextFiles.write(dir, "b.txt", "1 2 3", "2 4")));
    }

    @Test
    void readDetectsTheFormat() {
        Path file = TextFiles.write(dir, "b.txt", "1 2 3", "2 4");
        assertEquals(List.of("2", "3"), DataFormat.read(file).get(0).items());
    }

    @Test
    void undetectableFirstLineNamesFileAndLine() {
        Path file = TextFiles.write(dir, "a.txt", "", "42");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataFormat.detect(file));
        assertEquals(file + ":2: cannot detect the format: expected 2 fields (sasrec) or more (s3rec), found 1", e.getMessage());
    }

    @Test
    void missingFileSaysSo() {
        Path file = dir.resolve("nothing.txt");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataFormat.read(file));
        assertEquals(file + ": no such file", e.getMessage());
        e = assertThrows(DataFormatException.class, () -> DataFormat.read(dir.resolve("u.data")));
        assertEquals(dir.resolve("u.data") + ": no such file", e.getMessage());
    }

    @Test
    void blankFileIsEmpty() {
        Path file = TextFiles.write(dir, "a.txt", "", "  ");
        for (DataFormat format : DataFormat.values()) {
            DataFormatException e = assertThrows(DataFormatException.class, () -> DataFormat.read(file, format));
            assertEquals(file + ": empty file", e.getMessage());
        }
        assertEquals(file + ": empty file", assertThrows(DataFormatException.class, () -> DataFormat.detect(file)).getMessage());
    }
}

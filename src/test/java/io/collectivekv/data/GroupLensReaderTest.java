package io.collectivekv.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GroupLensReaderTest {
    @TempDir
    Path dir;

    @Test
    void ordersByTimestampThenFileLine() {
        Path file = TextFiles.write(dir, "u.data",
                "2\t30\t4\t500",
                "1\t10\t3\t300",
                "1\t11\t5\t100",
                "1\t12\t1\t300",
                "2\t31\t2\t400",
                "1\t13\t2\t200");
        UserSequences data = DataFormat.read(file);
        assertEquals(new UserSequence("2", List.of("31", "30")), data.get(0));
        // 10 and 12 share timestamp 300: 10 comes first because its line does.
        assertEquals(new UserSequence("1", List.of("11", "13", "10", "12")), data.get(1));
    }

    @Test
    void wrongFieldCountNamesFileAndLine() {
        Path file = TextFiles.write(dir, "u.data", "1\t10\t3\t300", "1\t11\t5\t100", "1\t12\t300");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataFormat.read(file));
        assertEquals(file + ":3: expected 4 tab-separated fields, found 3", e.getMessage());
    }

    @Test
    void badTimestampNamesFileAndLine() {
        Path file = TextFiles.write(dir, "u.data", "1\t10\t3\t3e5");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataFormat.read(file));
        assertEquals(file + ":1: timestamp is not an integer: '3e5'", e.getMessage());
    }

    @Test
    void emptyIdIsAnError() {
        Path file = TextFiles.write(dir, "u.data", "1\t\t3\t300");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataFormat.read(file));
        assertEquals(file + ":1: empty item id", e.getMessage());
    }
}

package io.collectivekv.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvReaderTest {
    @TempDir
    Path dir;

    @Test
    void skipsHeaderCaseInsensitively() {
        Path file = TextFiles.write(dir, "events.csv", "User,Item,TIMESTAMP", "a,x,20", "a,y,10");
        assertEquals(new UserSequence("a", List.of("y", "x")), DataFormat.read(file).get(0));
    }

    @Test
    void readsWithoutHeaderAndTrimsFields() {
        Path file = TextFiles.write(dir, "events.csv", "a, x ,20", "b,x,5", "a,y,10");
        UserSequences data = DataFormat.read(file);
        assertEquals(new UserSequence("a", List.of("y", "x")), data.get(0));
        assertEquals(new UserSequence("b", List.of("x")), data.get(1));
    }

    @Test
    void equalTimestampsKeepFileOrder() {
        Path file = TextFiles.write(dir, "events.csv", "a,z,7", "a,x,5", "a,w,7", "a,y,5");
        assertEquals(List.of("x", "y", "z", "w"), DataFormat.read(file).get(0).items());
    }

    @Test
    void headerLaterInTheFileIsMalformed() {
        Path file = TextFiles.write(dir, "events.csv", "a,x,1", "user,item,timestamp");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataFormat.read(file));
        assertEquals(file + ":2: timestamp is not an integer: 'timestamp'", e.getMessage());
    }

    @Test
    void otherTextInTheFirstLineIsMalformed() {
        Path file = TextFiles.write(dir, "events.csv", "uid,iid,ts", "a,x,1");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataFormat.read(file));
        assertEquals(file + ":1: timestamp is not an integer: 'ts'", e.getMessage());
    }

    @Test
    void wrongFieldCountNamesFileAndLine() {
        Path file = TextFiles.write(dir, "events.csv", "user,item,timestamp", "a,x,1,extra");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataFormat.read(file));
        assertEquals(file + ":2: expected 3 comma-separated fields (user,item,timestamp), found 4", e.getMessage());
    }

    @Test
    void headerOnlyIsAnError() {
        Path file = TextFiles.write(dir, "events.csv", "user,item,timestamp");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataFormat.read(file));
        assertEquals(file + ": no interactions after the header", e.getMessage());
    }
}

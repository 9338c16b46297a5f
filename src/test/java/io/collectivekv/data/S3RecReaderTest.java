package io.collectivekv.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class S3RecReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsOneUserPerLine() {
        Path file = TextFiles.write(dir, "d.txt", "1 5 6 7", "2 7  8");
        UserSequences data = DataFormat.read(file, DataFormat.S3REC);
        assertEquals(new UserSequence("1", List.of("5", "6", "7")), data.get(0));
        assertEquals(new UserSequence("2", List.of("7", "8")), data.get(1));
        assertEquals(4, data.distinctItemCount());
    }

    @Test
    void userWithoutItemsIsAnError() {
        Path file = TextFiles.write(dir, "d.txt", "1 5 6", "2");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataFormat.read(file, DataFormat.S3REC));
        assertEquals(file + ":2: expected a user followed by at least one item, found only the user", e.getMessage());
    }

    @Test
    void userListedTwiceIsAnError() {
        Path file = TextFiles.write(dir, "d.txt", "1 5 6", "2 5", "1 7");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataFormat.read(file, DataFormat.S3REC));
        assertEquals(file + ":3: user 1 already listed on line 1", e.getMessage());
    }
}

package io.collectivekv.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SasRecReaderTest {
    @TempDir
    Path dir;

    @Test
    void groupsLinesByUserInFileOrder() {
        Path file = TextFiles.write(dir, "d.txt", "7 10", "7 11", "", "3 12", "7 13", "3\t10");
        UserSequences data = DataFormat.read(file, DataFormat.SASREC);
        assertEquals(2, data.userCount());
        assertEquals(new UserSequence("7", List.of("10", "11", "13")), data.get(0));
        assertEquals(new UserSequence("3", List.of("12", "10")), data.get(1));
        assertEquals(5, data.interactionCount());
        assertEquals(4, data.distinctItemCount());
    }

    @Test
    void malformedLineNamesFileAndLineCountingBlankLines() {
        Path file = TextFiles.write(dir, "d.txt", "1 1", "", "1 2 3");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DataFormat.read(file, DataFormat.SASREC));
        assertEquals(file + ":3: expected 2 whitespace-separated fields (user item), found 3", e.getMessage());
    }
}

package io.collectivekv.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemIndexTest {
    @TempDir
    Path dir;

    @Test
    void numericIdsAreOrderedByValue() {
        ItemIndex index = ItemIndex.of(UserSequences.of(Map.of("u", List.of("10", "9", "100", "2"))));
        assertEquals(4, index.size());
        assertEquals(6, index.tableRows());
        assertEquals(2, index.row("2"));
        assertEquals(3, index.row("9"));
        assertEquals(4, index.row("10"));
        assertEquals(5, index.row("100"));
        assertEquals("100", index.externalId(5));
    }

    @Test
    void otherIdsKeepFirstAppearance() {
        ItemIndex index = ItemIndex.of(UserSequencesTest.sample());
        assertEquals(List.of(2, 3, 4, 5), List.of(index.row("a"), index.row("b"), index.row("c"), index.row("d")));
    }

    @Test
    void unknownIdsMapToTheUnknownRowAndReservedRowsHaveNoId() {
        ItemIndex index = ItemIndex.of(UserSequencesTest.sample());
        assertEquals(ItemIndex.UNKNOWN_ROW, index.row("zzz"));
        assertThrows(IllegalArgumentException.class, () -> index.externalId(ItemIndex.UNKNOWN_ROW));
        assertThrows(IllegalArgumentException.class, () -> index.externalId(7));
    }

    @Test
    void roundTripsThroughTsv() throws Exception {
        ItemIndex index = ItemIndex.of(UserSequencesTest.sample());
        Path file = dir.resolve(ItemIndex.FILE_NAME);
        index.write(file);
        assertEquals(List.of("item\trow", "a\t2", "b\t3", "c\t4", "d\t5", "e\t6"), Files.readAllLines(file));
        ItemIndex read = ItemIndex.read(file);
        assertEquals(5, read.size());
        for (int row = 2; row < 7; row++) {
            assertEquals(index.externalId(row), read.externalId(row));
        }
    }

    @Test
    void readRejectsMissingHeader() {
        Path file = TextFiles.write(dir, "items.tsv", "a\t2");
        assertEquals(file + ":1: expected the header 'item<TAB>row'", readError(file));
    }

    @Test
    void readRejectsGapsInRows() {
        Path file = TextFiles.write(dir, "items.tsv", "item\trow", "a\t2", "b\t4");
        assertEquals(file + ":3: expected row 3, found '4'", readError(file));
    }

    @Test
    void readRejectsDuplicateIds() {
        Path file = TextFiles.write(dir, "items.tsv", "item\trow", "a\t2", "a\t3");
        assertEquals(file + ":3: item 'a' listed twice", readError(file));
    }

    @Test
    void readRejectsAnIndexWithoutItems() {
        Path file = TextFiles.write(dir, "items.tsv", "item\trow");
        assertEquals(file + ": no items after the header", readError(file));
    }

    @Test
    void readsAnIndexFromAStream() {
        ItemIndex index = ItemIndex.read(stream("item\trow\na\t2\n\nb\t3\n"), "model.zip!/items.tsv");
        assertEquals(2, index.size());
        assertEquals("b", index.externalId(3));
        assertEquals(ItemIndex.UNKNOWN_ROW, index.row("c"));
    }

    @Test
    void streamErrorsNameTheSourceAndLine() {
        assertEquals("model/items.tsv:4: expected row 3, found '4'",
                streamError("item\trow\na\t2\n\nb\t4\n", "model/items.tsv"));
        assertEquals("model/items.tsv: no items after the header", streamError("item\trow\n", "model/items.tsv"));
        assertEquals("model/items.tsv: empty file", streamError("", "model/items.tsv"));
    }

    @Test
    void streamThatIsNotUtf8IsRejected() {
        byte[] latin1 = "item\trow\ncaf\u00e9\t2\n".getBytes(StandardCharsets.ISO_8859_1);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ItemIndex.read(new ByteArrayInputStream(latin1), "items.tsv"));
        // The reader decodes ahead of the line it hands out, so the line number is not pinned here.
        assertTrue(e.getMessage().matches("items\\.tsv:\\d+: not UTF-8 text"), e.getMessage());
    }

    @Test
    void readOfAMissingFileSaysSo() {
        Path file = dir.resolve("absent.tsv");
        assertEquals(file + ": no such file", readError(file));
    }

    @Test
    void encodesSequencesWithUnknownItems() {
        ItemIndex index = ItemIndex.of(UserSequences.of(Map.of("u", List.of("a", "b"))));
        EncodedSequences encoded = EncodedSequences.encode(UserSequencesTest.sample(), index);
        assertEquals(3, encoded.userCount());
        assertEquals("u2", encoded.userId(0));
        assertArrayEquals(new int[] {2, 3, 1}, encoded.rows(0));
        assertArrayEquals(new int[] {3, 1}, encoded.rows(1));
        assertEquals(6, encoded.interactionCount());
    }

    private static String readError(Path file) {
        return assertThrows(DataFormatException.class, () -> ItemIndex.read(file)).getMessage();
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String streamError(String text, String source) {
        return assertThrows(DataFormatException.class, () -> ItemIndex.read(stream(text), source)).getMessage();
    }
}

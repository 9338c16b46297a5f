package io.collectivekv.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyFileTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsAFloatMatrix() throws Exception {
        FloatMatrix matrix = SampleArtifacts.embeddings(12, 64, 1);
        Path file = dir.resolve("table.npy");
        NpyFile.write(file, matrix);
        FloatMatrix read = NpyFile.read(file);
        assertEquals(matrix, read);
        assertArrayEquals(matrix.row(11), read.row(11));
    }

    @Test
    void headerIsStandardAndDataIs64ByteAligned() {
        byte[] bytes = NpyFile.encode(new FloatMatrix(3, 2, new float[] {1, 2, 3, 4, 5, 6}));
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(bytes, 8));
        int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        int dataStart = 10 + headerLength;
        assertEquals(0, dataStart % 64);
        assertEquals(3 * 2 * Float.BYTES, bytes.length - dataStart);
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }"), header);
        assertTrue(header.endsWith(" \n"), header);
        // Little-endian 1.0f = 00 00 80 3f.
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f}, Arrays.copyOfRange(bytes, dataStart, dataStart + 4));
    }

    @Test
    void refusesOtherDtypesNamingTheFile() throws Exception {
        Path file = dir.resolve("doubles.npy");
        Files.write(file, withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", 8));
        ArtifactException e = assertThrows(ArtifactException.class, () -> NpyFile.read(file));
        assertEquals(file + ": dtype '<f8' is not supported (expected '<f4', little-endian float32)", e.getMessage());
    }

    @Test
    void refusesFortranOrder() throws Exception {
        Path file = dir.resolve("fortran.npy");
        Files.write(file, withHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", 4));
        ArtifactException e = assertThrows(ArtifactException.class, () -> NpyFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ": fortran_order True is not supported"), e.getMessage());
    }

    @Test
    void refusesOneDimensionalArrays() throws Exception {
        Path file = dir.resolve("vector.npy");
        Files.write(file, withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 12));
        ArtifactException e = assertThrows(ArtifactException.class, () -> NpyFile.read(file));
        assertEquals(file + ": shape (3,) is not 2-D", e.getMessage());
    }

    @Test
    void refusesTruncatedData() throws Exception {
        Path file = dir.resolve("short.npy");
        byte[] full = NpyFile.encode(new FloatMatrix(2, 2, new float[4]));
        Files.write(file, Arrays.copyOf(full, full.length - 1));
        ArtifactException e = assertThrows(ArtifactException.class, () -> NpyFile.read(file));
        assertEquals(file + ": data holds 15 bytes, shape (2, 2) needs 16", e.getMessage());
    }

    @Test
    void refusesFilesThatAreNotNpy() throws Exception {
        Path file = dir.resolve("text.npy");
        Files.writeString(file, "hello, world");
        ArtifactException e = assertThrows(ArtifactException.class, () -> NpyFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not a .npy file"), e.getMessage());
    }

    private static byte[] withHeader(String dict, int dataBytes) {
        int dataStart = (10 + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(dataStart - 10 - dict.length() - 1) + "\n";
        byte[] bytes = new byte[10 + header.length() + dataBytes];
        byte[] prefix = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0};
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        System.arraycopy(header.getBytes(StandardCharsets.US_ASCII), 0, bytes, 10, header.length());
        return bytes;
    }
}

package io.collectivekv.artifact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes 2-D float32 matrices in the NumPy .npy format, so the item table of an artifact
 * can be loaded on its own (by {@code numpy.load} or a nearest-neighbour index) without the graphs.
 * Only little-endian float32 in C order is accepted: anything else would need a conversion that
 * could silently change the scores.
 */
public final class NpyFile {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy pads the header so the data starts on this boundary, for memory-mapping. */
    private static final int ALIGNMENT = 64;
    private static final String FLOAT32 = "<f4";
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN_ORDER = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(\\w+)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private NpyFile() {
    }

    /** Reads a float32 2-D .npy file; a file of another kind is refused with a message naming it. */
    public static FloatMatrix read(Path file) throws IOException {
        return decode(Files.readAllBytes(file), file.toString());
    }

    public static void write(Path file, FloatMatrix matrix) throws IOException {
        Files.write(file, encode(matrix));
    }

    /** Version 1.0 of the format: a 2-byte header length, which always suffices for a 2-D shape. */
    static byte[] encode(FloatMatrix matrix) {
        String dict = "{'descr': '" + FLOAT32 + "', 'fortran_order': False, 'shape': (" + matrix.rows() + ", " + matrix.cols() + "), }";
        int preamble = MAGIC.length + 2 + 2;
        int padded = ((preamble + dict.length() + 1 + ALIGNMENT - 1) / ALIGNMENT) * ALIGNMENT;
        String header = dict + " ".repeat(padded - preamble - dict.length() - 1) + "\n";
        long dataBytes = (long) matrix.values().length * Float.BYTES;
        if (padded + dataBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(matrix + " is too large for one .npy buffer");
        }
        ByteBuffer out = ByteBuffer.allocate(padded + (int) dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.US_ASCII));
        out.asFloatBuffer().put(matrix.values());
        return out.array();
    }

    /** {@code subject} names the file in errors, e.g. "artifact /models/m1.zip: item_embeddings.npy". */
    static FloatMatrix decode(byte[] bytes, String subject) {
        if (bytes.length < MAGIC.length + 4 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ArtifactException(subject, "not a .npy file (no \\x93NUMPY magic)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).position(MAGIC.length);
        int major = in.get();
        in.get();
        // Versions 2 and 3 differ from 1 only in a 4-byte header length (3: UTF-8 header text).
        long headerLength = switch (major) {
            case 1 -> Short.toUnsignedInt(in.getShort());
            case 2, 3 -> in.remaining() >= 4 ? Integer.toUnsignedLong(in.getInt()) : -1;
            default -> throw new ArtifactException(subject, ".npy format version " + major + " is not supported (expected 1, 2 or 3)");
        };
        if (headerLength < 0 || headerLength > in.remaining()) {
            throw new ArtifactException(subject, "truncated .npy header");
        }
        String header = new String(bytes, in.position(), (int) headerLength, StandardCharsets.UTF_8);
        int dataStart = in.position() + (int) headerLength;

        String descr = field(DESCR, header, "descr", subject);
        if (!descr.equals(FLOAT32)) {
            throw new ArtifactException(subject, "dtype '" + descr + "' is not supported (expected '" + FLOAT32 + "', little-endian float32)");
        }
        String fortranOrder = field(FORTRAN_ORDER, header, "fortran_order", subject);
        if (!fortranOrder.equals("False")) {
            throw new ArtifactException(subject, "fortran_order " + fortranOrder + " is not supported (expected False, C order)");
        }
        int[] shape = shape(field(SHAPE, header, "shape", subject), subject);

        long expected = (long) shape[0] * shape[1] * Float.BYTES;
        long actual = bytes.length - dataStart;
        if (actual != expected) {
            throw new ArtifactException(subject, "data holds " + actual + " bytes, shape (" + shape[0] + ", " + shape[1] + ") needs " + expected);
        }
        float[] values = new float[shape[0] * shape[1]];
        ByteBuffer.wrap(bytes, dataStart, (int) actual).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return new FloatMatrix(shape[0], shape[1], values);
    }

    private static String field(Pattern pattern, String header, String name, String subject) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new ArtifactException(subject, ".npy header has no '" + name + "': " + header.trim());
        }
        return m.group(1).trim();
    }

    private static int[] shape(String tuple, String subject) {
        String[] parts = tuple.split(",");
        // split() drops a trailing empty part, so the 1-D "(5,)" yields one part and "(5, 3,)" two.
        if (parts.length != 2 || parts[1].isBlank()) {
            throw new ArtifactException(subject, "shape (" + tuple + ") is not 2-D");
        }
        int[] shape = new int[2];
        for (int i = 0; i < 2; i++) {
            try {
                shape[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new ArtifactException(subject, "shape (" + tuple + ") is not a pair of integers");
            }
            if (shape[i] < 0) {
                throw new ArtifactException(subject, "shape (" + tuple + ") has a negative size");
            }
        }
        if ((long) shape[0] * shape[1] > Integer.MAX_VALUE - 8) {
            throw new ArtifactException(subject, "shape (" + tuple + ") is too large to load into one array");
        }
        return shape;
    }
}

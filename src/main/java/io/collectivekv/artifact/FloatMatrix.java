package io.collectivekv.artifact;

import java.util.Arrays;

/**
 * A dense float32 matrix stored row-major, the shape of the item embedding table.
 *
 * @param values row {@code r} occupies {@code values[r * cols, (r + 1) * cols)}. The array is shared,
 *               not copied: item tables run to hundreds of megabytes, and retrieval scans it directly.
 *               Treat it as read-only.
 */
public record FloatMatrix(int rows, int cols, float[] values) {

    public FloatMatrix {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("shape (" + rows + ", " + cols + ") must not be negative");
        }
        if (values == null || values.length != (long) rows * cols) {
            throw new IllegalArgumentException("shape (" + rows + ", " + cols + ") needs " + (long) rows * cols
                    + " values, got " + (values == null ? "none" : values.length));
        }
    }

    public float get(int row, int col) {
        if (col < 0 || col >= cols) {
            throw new IndexOutOfBoundsException("column " + col + " of " + cols);
        }
        return values[checkRow(row) * cols + col];
    }

    /** A copy of one row. */
    public float[] row(int row) {
        int start = checkRow(row) * cols;
        return Arrays.copyOfRange(values, start, start + cols);
    }

    private int checkRow(int row) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows);
        }
        return row;
    }

    // A record compares arrays by identity; two tables are equal when their contents are.
    @Override
    public boolean equals(Object o) {
        return o instanceof FloatMatrix m && rows == m.rows && cols == m.cols && Arrays.equals(values, m.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(values);
    }

    // The default would print every value of a million-row table.
    @Override
    public String toString() {
        return "FloatMatrix(" + rows + " × " + cols + ")";
    }
}

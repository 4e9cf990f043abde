package dev.tinyforge.model;

import dev.tinyforge.tensor.FloatMatMul;

/** A float32 weight matrix on the heap (row-major): for models built in memory and for training. */
public record FloatMatrix(int rows, int cols, float[] data) implements WeightMatrix {
    public FloatMatrix {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(rows + "x" + cols + " matrix needs " + (long) rows * cols
                    + " values, got " + data.length);
        }
    }

    public FloatMatrix(int rows, int cols) {
        this(rows, cols, new float[Math.multiplyExact(rows, cols)]);
    }

    @Override
    public String typeName() {
        return "F32";
    }

    @Override
    public void multiply(float[] x, float[] out, int batch) {
        FloatMatMul.multiply(data, rows, cols, x, out, batch);
    }

    @Override
    public dev.tinyforge.tensor.RowProduct product(float[] x, float[] out, int batch) {
        return FloatMatMul.product(data, rows, cols, x, out, batch);
    }

    @Override
    public void multiplyTransposed(float[] dy, float[] dx, int batch) {
        FloatMatMul.multiplyTransposed(data, rows, cols, dy, dx, batch);
    }

    @Override
    public void row(int r, float[] out, int off) {
        System.arraycopy(data, r * cols, out, off, cols);
    }
}

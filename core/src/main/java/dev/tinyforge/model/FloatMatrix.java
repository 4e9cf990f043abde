package dev.tinyforge.model;

import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.tensor.VectorMath;

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
        Parallel.forRange(rows, Parallel.grain((long) cols * batch), (from, to) -> {
            for (int r = from; r < to; r++) {
                for (int t = 0; t < batch; t++) {
                    out[t * rows + r] = VectorMath.dot(data, r * cols, x, t * cols, cols);
                }
            }
        });
    }

    @Override
    public void row(int r, float[] out, int off) {
        System.arraycopy(data, r * cols, out, off, cols);
    }
}

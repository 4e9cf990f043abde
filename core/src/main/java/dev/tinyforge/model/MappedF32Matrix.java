package dev.tinyforge.model;

import dev.tinyforge.tensor.F32MatMul;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** A little-endian float32 matrix read in place from a mapped file (GGUF or safetensors). */
public record MappedF32Matrix(int rows, int cols, MemorySegment data) implements WeightMatrix {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public MappedF32Matrix {
        if (data.byteSize() != 4L * rows * cols) {
            throw new IllegalArgumentException(rows + "x" + cols + " F32 matrix needs " + 4L * rows * cols
                    + " bytes, got " + data.byteSize());
        }
    }

    @Override
    public String typeName() {
        return "F32";
    }

    @Override
    public dev.tinyforge.tensor.RowProduct product(float[] x, float[] out, int batch) {
        return F32MatMul.product(data, rows, cols, x, out, batch);
    }

    @Override
    public void multiplyTransposed(float[] dy, float[] dx, int batch) {
        F32MatMul.multiplyTransposed(data, rows, cols, dy, dx, batch);
    }

    @Override
    public void row(int r, float[] out, int off) {
        MemorySegment.copy(data, F32, 4L * r * cols, out, off, cols);
    }
}

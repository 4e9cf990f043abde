package dev.tinyforge.export;

import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.quant.QuantizationException;
import dev.tinyforge.quant.Quantizer;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Streams a tensor's rows into a file (GGUF or safetensors: F32, F16 and BF16 have the same bits in
 * both), encoding them with {@link Quantizer}, the one encoder of the project. Rows are produced a
 * slice at a time, so a model is written without a second copy of its weights; a value that cannot
 * be encoded (NaN, infinity, out of range) names the tensor and row.
 */
public final class TensorEncoder {
    /** Produces row {@code r} of a tensor as floats into {@code out[0 .. cols)}. */
    @FunctionalInterface
    public interface RowSource {
        void row(int r, float[] out);
    }

    /** Rows are encoded in slices of about this many values. */
    private static final int SLICE_VALUES = 1 << 18;

    private TensorEncoder() {}

    /** Writes {@code rows} rows of {@code cols} values, each from {@code source}, encoded as {@code type}. */
    public static void write(OutputStream out, String tensor, GgmlType type, int rows, int cols, RowSource source)
            throws IOException {
        int slice = Math.max(1, Math.min(rows, SLICE_VALUES / Math.max(1, cols)));
        float[] values = new float[slice * cols];
        float[] row = new float[cols];
        byte[] bytes = new byte[Math.toIntExact(slice * type.byteSize(cols))];
        for (int first = 0; first < rows; first += slice) {
            int count = Math.min(slice, rows - first);
            for (int r = 0; r < count; r++) {
                source.row(first + r, row);
                System.arraycopy(row, 0, values, r * cols, cols);
            }
            try {
                Quantizer.quantize(type, values, 0, count, cols, bytes, 0);
            } catch (QuantizationException e) {
                throw new BadInputException("tensor " + tensor + ": " + e.shiftedBy(first).getMessage());
            }
            out.write(bytes, 0, Math.toIntExact(count * type.byteSize(cols)));
        }
    }
}

package dev.tinyforge.train;

import dev.tinyforge.model.QuantizedMatrix;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.tensor.Float16;
import dev.tinyforge.util.BadInputException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A minimal round-to-nearest encoder for Q8_0 and Q4_0, just enough to hold QLoRA's frozen base
 * quantized. It follows ggml's reference rounding (per block of 32: Q8_0 d = max|x| / 127,
 * q = round(x / d); Q4_0 d = m / −8 for the value m of largest magnitude, q = min(15, ⌊x / d + 8.5⌋)),
 * without the importance-weighted searches of llama-quantize. Meant to be replaced by the quant
 * package's encoders once those exist.
 */
final class RoundToNearestQuantizer {
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private RoundToNearestQuantizer() {}

    /** Whether {@link #quantize} can produce {@code type}. */
    static boolean supports(GgmlType type) {
        return type == GgmlType.Q8_0 || type == GgmlType.Q4_0;
    }

    /** Writes one row of a matrix as floats. */
    @FunctionalInterface
    interface RowSource {
        void row(int r, float[] out);
    }

    /** {@code m} encoded as {@code type}, on the heap, row by row. */
    static QuantizedMatrix quantize(WeightMatrix m, GgmlType type) {
        return quantize(m.rows(), m.cols(), (r, out) -> m.row(r, out, 0), type);
    }

    /** A {@code rows × cols} matrix whose rows {@code source} gives (one at a time, in order), encoded as {@code type}. */
    static QuantizedMatrix quantize(int rows, int cols, RowSource source, GgmlType type) {
        if (!supports(type)) throw new BadInputException("QLoRA can hold its base as Q4_0 or Q8_0, not " + type);
        if (cols % 32 != 0) {
            throw new BadInputException("a " + rows + "x" + cols + " weight cannot be quantized to " + type
                    + ": rows need a multiple of 32 values");
        }
        long rowBytes = type.byteSize(cols);
        MemorySegment data = MemorySegment.ofArray(new byte[Math.toIntExact(rowBytes * rows)]);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            source.row(r, row);
            for (int b = 0; b < cols / 32; b++) {
                long off = r * rowBytes + (long) b * type.typeSize();
                if (type == GgmlType.Q8_0) q8_0(row, 32 * b, data, off);
                else q4_0(row, 32 * b, data, off);
            }
        }
        return new QuantizedMatrix(type, rows, cols, data);
    }

    private static void q8_0(float[] x, int at, MemorySegment out, long off) {
        float amax = 0;
        for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[at + j]));
        float d = amax / 127;
        float id = d != 0 ? 1 / d : 0;
        out.set(F16, off, Float16.fromFloat(d));
        for (int j = 0; j < 32; j++) out.set(ValueLayout.JAVA_BYTE, off + 2 + j, (byte) roundHalfAway(x[at + j] * id));
    }

    /** C's roundf: halves away from zero (Math.round rounds them up). */
    private static int roundHalfAway(float v) {
        return (int) Math.copySign(Math.floor(Math.abs(v) + 0.5f), v);
    }

    private static void q4_0(float[] x, int at, MemorySegment out, long off) {
        float amax = 0, max = 0;
        for (int j = 0; j < 32; j++) {
            float v = x[at + j];
            if (Math.abs(v) > amax) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8;
        float id = d != 0 ? 1 / d : 0;
        out.set(F16, off, Float16.fromFloat(d));
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (x[at + j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[at + 16 + j] * id + 8.5f));
            out.set(ValueLayout.JAVA_BYTE, off + 2 + j, (byte) (lo | hi << 4));
        }
    }
}

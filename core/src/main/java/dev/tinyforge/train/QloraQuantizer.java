package dev.tinyforge.train;

import dev.tinyforge.model.QuantizedMatrix;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.quant.Quantizer;
import dev.tinyforge.util.BadInputException;
import java.lang.foreign.MemorySegment;

/**
 * Holds QLoRA's frozen base quantized: matrices encoded as Q8_0, Q4_0 or Q4_K by the quant package's
 * encoders (llama-quantize's bytes), one row at a time so that no float copy of a whole model is
 * needed when the rows come from a generator. Q4_K needs rows of whole 256-value super-blocks; other
 * rows take Q5_0, llama.cpp's fallback for Q4_K (SmolLM2's 576-wide rows, for one).
 */
final class QloraQuantizer {
    private QloraQuantizer() {}

    /** Whether {@link #quantize} can produce {@code type}. */
    static boolean supports(GgmlType type) {
        return type == GgmlType.Q8_0 || type == GgmlType.Q4_0 || type == GgmlType.Q4_K;
    }

    /** The type a matrix with rows of {@code cols} values is held in when QLoRA asks for {@code type}. */
    static GgmlType typeFor(GgmlType type, int cols) {
        return type == GgmlType.Q4_K && cols % GgmlType.Q4_K.blockSize() != 0 ? GgmlType.Q5_0 : type;
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
        if (!supports(type)) throw new BadInputException("QLoRA can hold its base as Q4_0, Q4_K or Q8_0, not " + type);
        type = typeFor(type, cols);
        if (cols % type.blockSize() != 0) {
            throw new BadInputException("a " + rows + "x" + cols + " weight cannot be quantized to " + type
                    + ": rows need a multiple of " + type.blockSize() + " values");
        }
        long rowBytes = type.byteSize(cols);
        MemorySegment data = MemorySegment.ofArray(new byte[Math.toIntExact(rowBytes * rows)]);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            source.row(r, row);
            Quantizer.quantize(type, row, 0, 1, cols, data, r * rowBytes);
        }
        return new QuantizedMatrix(type, rows, cols, data);
    }
}

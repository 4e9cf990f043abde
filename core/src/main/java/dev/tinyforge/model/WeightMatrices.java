package dev.tinyforge.model;

import dev.tinyforge.quant.DotKernel;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.util.BadInputException;
import java.lang.foreign.MemorySegment;

/** Picks the {@link WeightMatrix} for a tensor's storage type once, when the weights are loaded. */
public final class WeightMatrices {
    private WeightMatrices() {}

    /** Whether {@link #of} accepts {@code type}. */
    public static boolean supports(GgmlType type) {
        return type == GgmlType.F32 || DotKernel.supports(type);
    }

    /**
     * A {@code rows × cols} matrix over {@code data}, rows stored one after another in ggml's layout
     * (a GGUF tensor of shape [cols, rows]); no copy is made.
     */
    public static WeightMatrix of(GgmlType type, int rows, int cols, MemorySegment data) {
        if (type == GgmlType.F32) return new MappedF32Matrix(rows, cols, data);
        if (!DotKernel.supports(type)) {
            throw new BadInputException("weight matrices of type " + type + " are not supported; supported: F32, F16, BF16, "
                    + "Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K");
        }
        return new QuantizedMatrix(type, rows, cols, data);
    }
}

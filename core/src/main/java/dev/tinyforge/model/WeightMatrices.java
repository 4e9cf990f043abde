package dev.tinyforge.model;

import dev.tinyforge.quant.Dequantizer;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.util.BadInputException;
import java.lang.foreign.MemorySegment;

/** Picks the matrix implementation for a stored weight type, once, at load time. */
public final class WeightMatrices {
    private WeightMatrices() {}

    /**
     * A matrix over {@code data} of the given type. F32 is read in place; other types are decoded
     * to floats on the heap until their in-place kernels exist (correct, but memory-hungry).
     */
    public static WeightMatrix of(GgmlType type, int rows, int cols, MemorySegment data) {
        if (type == GgmlType.F32) return new MappedF32Matrix(rows, cols, data);
        if (!Dequantizer.supports(type)) {
            throw new BadInputException("weights of type " + type + " are not supported");
        }
        return new FloatMatrix(rows, cols, Dequantizer.toFloats(type, data, (long) rows * cols));
    }
}

package dev.tinyforge.io.safetensors;

import dev.tinyforge.tensor.BFloat16;
import dev.tinyforge.tensor.Float16;
import dev.tinyforge.tensor.LittleEndian;
import dev.tinyforge.util.BadInputException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a safetensors file. The shape is in PyTorch order (outermost first, the last
 * dimension contiguous), the data little-endian and row-major. {@code data} is a slice of the mapped
 * file (no copy), unusable after its file is closed.
 */
public record SafetensorsTensor(String name, SafetensorsDtype dtype, long[] shape, MemorySegment data) {

    public SafetensorsTensor {
        Objects.requireNonNull(name);
        Objects.requireNonNull(dtype);
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) n *= d; // validated against overflow when the file was opened
        return n;
    }

    public long byteSize() {
        return data.byteSize();
    }

    /** The values as floats: F32 exactly, F16/BF16 widened exactly, F64 rounded to nearest float. */
    public float[] toFloatArray() {
        int n = count("floats");
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, LittleEndian.F32, 0, out, 0, n);
            case F16 -> { for (int i = 0; i < n; i++) out[i] = Float16.toFloat(data.get(LittleEndian.I16, 2L * i)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = BFloat16.toFloat(data.get(LittleEndian.I16, 2L * i)); }
            case F64 -> { for (int i = 0; i < n; i++) out[i] = (float) data.get(LittleEndian.F64, 8L * i); }
            default -> throw unsupported("floats");
        }
        return out;
    }

    /** The values as doubles (F64 exactly; other float types widened exactly). */
    public double[] toDoubleArray() {
        if (dtype == SafetensorsDtype.F64) {
            int n = count("doubles");
            double[] out = new double[n];
            MemorySegment.copy(data, LittleEndian.F64, 0, out, 0, n);
            return out;
        }
        float[] f = toFloatArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) out[i] = f[i];
        return out;
    }

    /** The values of an integer or BOOL tensor as longs (U64 as raw bits). */
    public long[] toLongArray() {
        int n = count("integers");
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case BOOL, U8 -> data.get(LittleEndian.I8, i) & 0xFFL;
                case I8 -> data.get(LittleEndian.I8, i);
                case I16 -> data.get(LittleEndian.I16, 2L * i);
                case U16 -> data.get(LittleEndian.I16, 2L * i) & 0xFFFFL;
                case I32 -> data.get(LittleEndian.I32, 4L * i);
                case U32 -> data.get(LittleEndian.I32, 4L * i) & 0xFFFF_FFFFL;
                case I64, U64 -> data.get(LittleEndian.I64, 8L * i);
                default -> throw unsupported("integers");
            };
        }
        return out;
    }

    private int count(String what) {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) throw new BadInputException("tensor '" + name + "' has " + n + " elements, too many to load as " + what);
        return (int) n;
    }

    private BadInputException unsupported(String what) {
        return new BadInputException("tensor '" + name + "' has dtype " + dtype + ", which cannot be read as " + what);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetensorsTensor t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " (" + byteSize() + " bytes)";
    }
}

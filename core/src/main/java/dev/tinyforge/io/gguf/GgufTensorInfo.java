package dev.tinyforge.io.gguf;

import dev.tinyforge.quant.Dequantizer;
import dev.tinyforge.quant.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a GGUF file: its name, ggml type, shape and data.
 *
 * <p>The shape is in ggml order: {@code shape()[0]} is the row length (the contiguous dimension),
 * so a PyTorch {@code [out, in]} weight appears as {@code [in, out]}. {@code offset} is relative to
 * the start of the file's data section. {@code data} is a slice of the mapped file (no copy) and
 * becomes unusable when the {@link GgufFile} is closed.
 */
public record GgufTensorInfo(String name, GgmlType type, long[] shape, long offset, MemorySegment data) {

    public GgufTensorInfo {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Size of dimension {@code i} in ggml order; 1 beyond the stored dimensions, as ggml pads shapes. */
    public long dim(int i) {
        return i < shape.length ? shape[i] : 1;
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) n *= d; // validated against overflow when the file was opened
        return n;
    }

    /** Values per row (ggml's ne[0]). */
    public long rowLength() {
        return dim(0);
    }

    public long rowCount() {
        long length = rowLength();
        return length == 0 ? 0 : elementCount() / length;
    }

    public long byteSize() {
        return data.byteSize();
    }

    /** Decodes row {@code row} into {@code dst[0 .. rowLength())}. */
    public void decodeRow(long row, float[] dst) {
        Objects.checkIndex(row, rowCount());
        long rowBytes = type.byteSize(rowLength());
        Dequantizer.decode(type, data, row * rowBytes, dst, 0, Math.toIntExact(rowLength()));
    }

    /** All values decoded to floats (the tensor must have fewer than 2^31 elements). */
    public float[] toFloatArray() {
        return Dequantizer.toFloats(type, data, elementCount());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && name.equals(t.name) && type == t.type
                && Arrays.equals(shape, t.shape) && offset == t.offset && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(shape), offset);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape) + " @" + offset + " (" + byteSize() + " bytes)";
    }
}

package dev.tinyforge.io.gguf;

import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A GGUF metadata array: elements of one type, possibly strings or (nested) arrays.
 *
 * <p>Numbers, booleans and strings are kept in one heap byte block exactly as the file encodes them
 * (little-endian; strings as length + UTF-8) and decoded when asked for. A 150,000-token vocabulary
 * then costs one byte array and an offset per token instead of 150,000 objects, and the heap a file
 * can make us use stays proportional to its size.
 */
public final class GgufArray implements GgufValue {
    private static final int SHOWN = 8;

    private final GgufValueType elementType;
    private final int size;
    private final MemorySegment bytes;    // scalar or string elements as encoded; empty for nested arrays
    private final long[] stringOffsets;   // STRING: where each element's length prefix starts in bytes
    private final List<GgufArray> arrays; // ARRAY: the nested arrays

    private GgufArray(GgufValueType elementType, int size, MemorySegment bytes, long[] stringOffsets, List<GgufArray> arrays) {
        this.elementType = elementType;
        this.size = size;
        this.bytes = bytes;
        this.stringOffsets = stringOffsets;
        this.arrays = arrays;
    }

    /** Scalar (fixed-size) elements, {@code encoded} holding exactly {@code size} of them. */
    static GgufArray ofEncodedScalars(GgufValueType elementType, int size, byte[] encoded) {
        return new GgufArray(elementType, size, MemorySegment.ofArray(encoded), null, null);
    }

    /** String elements: {@code encoded} holds them back to back, element i's length prefix at {@code offsets[i]}. */
    static GgufArray ofEncodedStrings(byte[] encoded, long[] offsets) {
        return new GgufArray(GgufValueType.STRING, offsets.length, MemorySegment.ofArray(encoded), offsets, null);
    }

    public static GgufArray ofArrays(List<GgufArray> arrays) {
        List<GgufArray> copy = List.copyOf(arrays);
        return new GgufArray(GgufValueType.ARRAY, copy.size(), MemorySegment.NULL, null, copy);
    }

    public static GgufArray ofStrings(List<String> strings) {
        byte[][] utf8 = new byte[strings.size()][];
        long total = 0;
        for (int i = 0; i < utf8.length; i++) {
            utf8[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
            total += 8 + utf8[i].length;
        }
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("string array too large: " + total + " bytes");
        byte[] encoded = new byte[(int) total];
        MemorySegment out = MemorySegment.ofArray(encoded);
        long[] offsets = new long[utf8.length];
        long pos = 0;
        for (int i = 0; i < utf8.length; i++) {
            offsets[i] = pos;
            out.set(LittleEndian.I64, pos, utf8[i].length);
            MemorySegment.copy(utf8[i], 0, out, LittleEndian.I8, pos + 8, utf8[i].length);
            pos += 8 + utf8[i].length;
        }
        return ofEncodedStrings(encoded, offsets);
    }

    public static GgufArray ofFloats(float[] values) {
        byte[] encoded = new byte[Math.multiplyExact(values.length, 4)];
        MemorySegment.copy(values, 0, MemorySegment.ofArray(encoded), LittleEndian.F32, 0, values.length);
        return ofEncodedScalars(GgufValueType.FLOAT32, values.length, encoded);
    }

    public static GgufArray ofDoubles(double[] values) {
        byte[] encoded = new byte[Math.multiplyExact(values.length, 8)];
        MemorySegment.copy(values, 0, MemorySegment.ofArray(encoded), LittleEndian.F64, 0, values.length);
        return ofEncodedScalars(GgufValueType.FLOAT64, values.length, encoded);
    }

    public static GgufArray ofBooleans(boolean[] values) {
        byte[] encoded = new byte[values.length];
        for (int i = 0; i < values.length; i++) encoded[i] = (byte) (values[i] ? 1 : 0);
        return ofEncodedScalars(GgufValueType.BOOL, values.length, encoded);
    }

    /** An {@code INT32} array. */
    public static GgufArray ofInts(int[] values) {
        long[] wide = new long[values.length];
        for (int i = 0; i < values.length; i++) wide[i] = values[i];
        return ofIntegers(GgufValueType.INT32, wide);
    }

    /** An array of any integer type; every value must lie in that type's range (UINT64: raw bits). */
    public static GgufArray ofIntegers(GgufValueType type, long[] values) {
        if (!type.isInteger()) throw new IllegalArgumentException(type + " is not an integer type");
        byte[] encoded = new byte[Math.multiplyExact(values.length, type.size())];
        MemorySegment out = MemorySegment.ofArray(encoded);
        for (int i = 0; i < values.length; i++) {
            if (!GgufValue.Int.fits(type, values[i])) {
                throw new IllegalArgumentException("element " + i + " = " + values[i] + " is out of range for " + type);
            }
            long at = (long) i * type.size();
            switch (type.size()) {
                case 1 -> out.set(LittleEndian.I8, at, (byte) values[i]);
                case 2 -> out.set(LittleEndian.I16, at, (short) values[i]);
                case 4 -> out.set(LittleEndian.I32, at, (int) values[i]);
                default -> out.set(LittleEndian.I64, at, values[i]);
            }
        }
        return ofEncodedScalars(type, values.length, encoded);
    }

    @Override
    public GgufValueType type() {
        return GgufValueType.ARRAY;
    }

    public GgufValueType elementType() {
        return elementType;
    }

    public int size() {
        return size;
    }

    /** Element {@code i} of an integer array (UINT64 as raw bits). */
    public long getLong(int i) {
        Objects.checkIndex(i, size);
        requireType(elementType.isInteger(), "an integer");
        long at = (long) i * elementType.size();
        return switch (elementType) {
            case UINT8 -> bytes.get(LittleEndian.I8, at) & 0xFFL;
            case INT8 -> bytes.get(LittleEndian.I8, at);
            case UINT16 -> bytes.get(LittleEndian.I16, at) & 0xFFFFL;
            case INT16 -> bytes.get(LittleEndian.I16, at);
            case UINT32 -> bytes.get(LittleEndian.I32, at) & 0xFFFF_FFFFL;
            case INT32 -> bytes.get(LittleEndian.I32, at);
            default -> bytes.get(LittleEndian.I64, at);
        };
    }

    /** Element {@code i} of a float or integer array, as a double. */
    public double getDouble(int i) {
        Objects.checkIndex(i, size);
        return switch (elementType) {
            case FLOAT32 -> bytes.get(LittleEndian.F32, 4L * i);
            case FLOAT64 -> bytes.get(LittleEndian.F64, 8L * i);
            case UINT64 -> unsignedToDouble(getLong(i));
            default -> {
                requireType(elementType.isInteger(), "a number");
                yield getLong(i);
            }
        };
    }

    public float getFloat(int i) {
        if (elementType == GgufValueType.FLOAT32) {
            Objects.checkIndex(i, size);
            return bytes.get(LittleEndian.F32, 4L * i);
        }
        return (float) getDouble(i);
    }

    public boolean getBoolean(int i) {
        Objects.checkIndex(i, size);
        requireType(elementType == GgufValueType.BOOL, "a bool");
        return bytes.get(LittleEndian.I8, i) != 0;
    }

    /** Element {@code i} of a string array; malformed UTF-8 becomes U+FFFD (see {@link #getBytes}). */
    public String getString(int i) {
        return new String(getBytes(i), StandardCharsets.UTF_8);
    }

    /** The raw UTF-8 bytes of element {@code i} of a string array. */
    public byte[] getBytes(int i) {
        Objects.checkIndex(i, size);
        requireType(elementType == GgufValueType.STRING, "a string");
        long at = stringOffsets[i];
        int length = (int) bytes.get(LittleEndian.I64, at);
        return bytes.asSlice(at + 8, length).toArray(LittleEndian.I8);
    }

    public GgufArray getArray(int i) {
        Objects.checkIndex(i, size);
        requireType(elementType == GgufValueType.ARRAY, "an array");
        return arrays.get(i);
    }

    /** Element {@code i} as a value of its own. */
    public GgufValue get(int i) {
        return switch (elementType) {
            case FLOAT32 -> new GgufValue.F32(getFloat(i));
            case FLOAT64 -> new GgufValue.F64(getDouble(i));
            case BOOL -> new GgufValue.Bool(getBoolean(i));
            case STRING -> new GgufValue.Str(getString(i));
            case ARRAY -> getArray(i);
            default -> new GgufValue.Int(elementType, getLong(i));
        };
    }

    public List<String> toStringList() {
        List<String> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) out.add(getString(i));
        return out;
    }

    public float[] toFloatArray() {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) out[i] = getFloat(i);
        return out;
    }

    /** Integer elements as ints; a value outside the int range is an {@link ArithmeticException}. */
    public int[] toIntArray() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            long v = getLong(i);
            if (elementType == GgufValueType.UINT64 && v < 0) throw new ArithmeticException("element " + i + " does not fit in an int");
            out[i] = Math.toIntExact(v);
        }
        return out;
    }

    public long[] toLongArray() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) out[i] = getLong(i);
        return out;
    }

    /** The elements as the file encodes them (scalars and strings), for the writer. */
    MemorySegment encoded() {
        return bytes;
    }

    private void requireType(boolean ok, String wanted) {
        if (!ok) throw new IllegalStateException("array of " + elementType + " does not hold " + wanted);
    }

    static double unsignedToDouble(long raw) {
        // above 2^63 a plain cast would read the bits as negative; BigDecimal rounds correctly
        return raw >= 0 ? raw : new java.math.BigDecimal(Long.toUnsignedString(raw)).doubleValue();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof GgufArray other)) return false;
        if (elementType != other.elementType || size != other.size) return false;
        if (elementType == GgufValueType.ARRAY) return arrays.equals(other.arrays);
        return bytes.byteSize() == other.bytes.byteSize() && bytes.mismatch(other.bytes) == -1;
    }

    @Override
    public int hashCode() {
        if (elementType == GgufValueType.ARRAY) return arrays.hashCode();
        int h = elementType.hashCode() * 31 + size;
        long n = Math.min(bytes.byteSize(), 64);
        for (long i = 0; i < n; i++) h = h * 31 + bytes.get(LittleEndian.I8, i);
        return h;
    }

    @Override
    public String toString() {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(size, SHOWN); i++) {
            shown.add(switch (get(i)) {
                case GgufValue.Str s -> '"' + s.value() + '"';
                case GgufValue.Int n -> elementType == GgufValueType.UINT64 ? Long.toUnsignedString(n.value()) : Long.toString(n.value());
                case GgufValue.F32 f -> Float.toString(f.value());
                case GgufValue.F64 f -> Double.toString(f.value());
                case GgufValue.Bool b -> Boolean.toString(b.value());
                case GgufArray a -> a.toString();
            });
        }
        String more = size > SHOWN ? ", ... (" + size + " in all)" : "";
        return elementType + "[" + String.join(", ", shown) + more + "]";
    }
}

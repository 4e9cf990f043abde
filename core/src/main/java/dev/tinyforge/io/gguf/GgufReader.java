package dev.tinyforge.io.gguf;

import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.util.BadInputException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates a GGUF (v2/v3) file held in a segment: header, metadata, tensor infos, and
 * where each tensor's bytes lie. Layout (all little-endian): magic "GGUF", uint32 version, uint64
 * tensor count, uint64 metadata count, the metadata entries (string key, uint32 type, value), the
 * tensor infos (string name, uint32 n_dims, uint64 dims[n_dims], uint32 ggml type, uint64 offset),
 * padding to {@code general.alignment} (default 32), then the data section that offsets point into.
 */
final class GgufReader {
    static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
    static final int MAX_DIMS = 4;        // GGML_MAX_DIMS
    static final int MAX_NESTING = 16;    // arrays of arrays; deeper is surely hostile
    private static final int MIN_KV_BYTES = 8 + 1 + 4 + 1;   // key length, 1-byte key, type, 1-byte value
    private static final int MIN_TENSOR_BYTES = 8 + 4 + 4 + 8; // name length, n_dims, type, offset

    record Parsed(int version, int alignment, long dataOffset, GgufMetadata metadata, List<GgufTensorInfo> tensors) {}

    private record Pending(String name, GgmlType type, long[] shape, long offset, long bytes) {}

    private final MemorySegment file;
    private final String source;
    private final GgufCursor in;

    private GgufReader(MemorySegment file, String source) {
        this.file = file;
        this.source = source;
        this.in = new GgufCursor(file, source);
    }

    static Parsed parse(MemorySegment file, String source) {
        return new GgufReader(file, source).parse();
    }

    private Parsed parse() {
        int version = header();
        long tensorCount = in.count("tensor count", MIN_TENSOR_BYTES);
        long kvCount = in.count("metadata entry count", MIN_KV_BYTES);
        if (tensorCount * MIN_TENSOR_BYTES + kvCount * MIN_KV_BYTES > in.remaining()) {
            throw in.bad("header declares " + tensorCount + " tensors and " + kvCount
                    + " metadata entries, more than the remaining " + in.remaining() + " bytes can hold");
        }
        Map<String, GgufValue> values = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) readEntry(i, values);
        GgufMetadata metadata = new GgufMetadata(source, values);
        int alignment = alignment(metadata);

        List<Pending> pending = new ArrayList<>((int) Math.min(tensorCount, 4096));
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            Pending p = readTensorInfo(i);
            if (!names.add(p.name)) throw in.bad("duplicate tensor name '" + p.name + "'");
            pending.add(p);
        }
        long dataOffset = alignUp(in.position(), alignment);
        if (tensorCount > 0 && dataOffset > file.byteSize()) {
            throw in.bad("the data section would start at byte " + dataOffset + ", past the end of the file ("
                    + file.byteSize() + " bytes; truncated file?)");
        }
        return new Parsed(version, alignment, dataOffset, metadata, place(pending, dataOffset, alignment));
    }

    private int header() {
        if (file.byteSize() < 4 || file.get(dev.tinyforge.tensor.LittleEndian.I32, 0) != MAGIC) {
            throw in.bad("not a GGUF file: expected the magic bytes \"GGUF\" at the start, found " + describeStart());
        }
        in.skip(4, "magic");
        int version = in.i32("GGUF version");
        if (version != 0 && (version & 0xFFFF) == 0) {
            throw in.bad("GGUF version field is 0x" + Integer.toHexString(version)
                    + ": a big-endian GGUF file, which is not supported (expected little-endian version 2 or 3)");
        }
        if (version == 1) throw in.bad("GGUF version 1 is no longer supported; expected version 2 or 3 (re-convert the model)");
        if (version != 2 && version != 3) {
            throw in.bad("unsupported GGUF version " + Integer.toUnsignedString(version) + "; expected 2 or 3");
        }
        return version;
    }

    private String describeStart() {
        int n = (int) Math.min(4, file.byteSize());
        if (n == 0) return "an empty file";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(String.format("%02x ", file.get(dev.tinyforge.tensor.LittleEndian.I8, i) & 0xFF));
        return "bytes " + sb.toString().trim();
    }

    private void readEntry(long index, Map<String, GgufValue> values) {
        String key = in.string("key of metadata entry " + index);
        if (key.isEmpty()) throw in.bad("metadata entry " + index + " has an empty key");
        if (values.containsKey(key)) throw in.bad("duplicate metadata key '" + key + "'");
        String what = "metadata key '" + key + "'";
        GgufValueType type = valueType(in.u32("type of " + what), what);
        values.put(key, readValue(type, what, 0));
    }

    private GgufValueType valueType(long id, String what) {
        return GgufValueType.byId(id).orElseThrow(() ->
                in.bad(what + " has unknown value type " + id + "; expected 0..12"));
    }

    private GgufValue readValue(GgufValueType type, String what, int depth) {
        return switch (type) {
            case UINT8 -> new GgufValue.Int(type, in.u8(what));
            case INT8 -> new GgufValue.Int(type, (byte) in.u8(what));
            case UINT16 -> new GgufValue.Int(type, in.i16(what) & 0xFFFF);
            case INT16 -> new GgufValue.Int(type, in.i16(what));
            case UINT32 -> new GgufValue.Int(type, in.u32(what));
            case INT32 -> new GgufValue.Int(type, in.i32(what));
            case UINT64, INT64 -> new GgufValue.Int(type, in.i64(what));
            case FLOAT32 -> new GgufValue.F32(Float.intBitsToFloat(in.i32(what)));
            case FLOAT64 -> new GgufValue.F64(Double.longBitsToDouble(in.i64(what)));
            case BOOL -> new GgufValue.Bool(bool(in.u8(what), what));
            case STRING -> new GgufValue.Str(in.string(what));
            case ARRAY -> readArray(what, depth + 1);
        };
    }

    private boolean bool(int b, String what) {
        if (b > 1) throw in.bad(what + " is a bool stored as " + b + "; expected 0 or 1");
        return b == 1;
    }

    private GgufArray readArray(String what, int depth) {
        if (depth > MAX_NESTING) throw in.bad(what + " nests arrays more than " + MAX_NESTING + " deep");
        GgufValueType elementType = valueType(in.u32("element type of " + what), "array " + what);
        long count = in.count("element count of " + what, elementType.minEncodedSize());
        if (count > Integer.MAX_VALUE - 8) throw in.bad(what + " has " + count + " elements; at most 2^31 are supported");
        int size = (int) count;
        return switch (elementType) {
            case STRING -> {
                long start = in.position();
                long[] offsets = new long[size];
                for (int i = 0; i < size; i++) {
                    offsets[i] = in.position() - start;
                    in.skip(in.stringLength("element " + i + " of " + what), "element " + i + " of " + what);
                }
                yield GgufArray.ofEncodedStrings(in.copyRange(start, in.position()), offsets);
            }
            case ARRAY -> {
                List<GgufArray> nested = new ArrayList<>(size);
                for (int i = 0; i < size; i++) nested.add(readArray("element " + i + " of " + what, depth + 1));
                yield GgufArray.ofArrays(nested);
            }
            default -> {
                byte[] encoded = in.copy(count * elementType.size(), "elements of " + what);
                if (elementType == GgufValueType.BOOL) {
                    for (byte b : encoded) bool(b & 0xFF, "an element of " + what);
                }
                yield GgufArray.ofEncodedScalars(elementType, size, encoded);
            }
        };
    }

    private int alignment(GgufMetadata metadata) {
        var value = metadata.get("general.alignment");
        if (value.isEmpty()) return GgufFile.DEFAULT_ALIGNMENT;
        if (!(value.get() instanceof GgufValue.Int n) || n.type() != GgufValueType.UINT32) {
            throw in.bad("metadata key 'general.alignment' has type " + value.get().type() + "; expected UINT32");
        }
        long a = n.value();
        if (a == 0 || (a & (a - 1)) != 0 || a > (1 << 30)) {
            throw in.bad("metadata key 'general.alignment' is " + a + "; expected a power of two");
        }
        return (int) a;
    }

    private Pending readTensorInfo(long index) {
        String name = in.string("name of tensor " + index);
        String what = "tensor '" + name + "'";
        long dims = in.u32("dimension count of " + what);
        if (dims > MAX_DIMS) throw in.bad(what + " has " + dims + " dimensions; GGUF allows at most " + MAX_DIMS);
        long[] shape = new long[(int) dims];
        long elements = 1;
        for (int j = 0; j < dims; j++) {
            shape[j] = in.i64("dimension " + j + " of " + what);
            if (shape[j] < 0) {
                throw in.bad(what + " dimension " + j + " is " + Long.toUnsignedString(shape[j]) + ", larger than any file");
            }
        }
        for (long d : shape) {
            try {
                elements = Math.multiplyExact(elements, d);
            } catch (ArithmeticException e) {
                throw in.bad(what + " has shape " + Arrays.toString(shape) + ", whose element count overflows 64 bits");
            }
        }
        long typeId = in.u32("type of " + what);
        GgmlType type = GgmlType.byId(typeId).orElseThrow(() ->
                in.bad(what + " has unknown ggml type id " + typeId + "; expected a known id (" + knownIds() + ")"));
        long rowLength = dims == 0 ? 1 : shape[0];
        if (rowLength % type.blockSize() != 0) {
            throw in.bad(what + " of type " + type + " has rows of " + rowLength
                    + " values, not a multiple of the type's block size " + type.blockSize());
        }
        long bytes = type.byteSize(elements);
        if (bytes < 0) throw in.bad(what + " with shape " + Arrays.toString(shape) + " is too large to address");
        long offset = in.i64("data offset of " + what);
        if (offset < 0) throw in.bad(what + " has data offset " + Long.toUnsignedString(offset) + ", larger than any file");
        return new Pending(name, type, shape, offset, bytes);
    }

    /** The known ids as ranges, e.g. "0-3, 6-30, 34-35, 39". */
    private static String knownIds() {
        int[] ids = Arrays.stream(GgmlType.values()).mapToInt(GgmlType::id).sorted().toArray();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; ) {
            int j = i;
            while (j + 1 < ids.length && ids[j + 1] == ids[j] + 1) j++;
            sb.append(sb.isEmpty() ? "" : ", ").append(ids[i]).append(j > i ? "-" + ids[j] : "");
            i = j + 1;
        }
        return sb.toString();
    }

    /** Checks that each tensor's bytes are aligned, inside the file and disjoint, and slices them. */
    private List<GgufTensorInfo> place(List<Pending> pending, long dataOffset, int alignment) {
        long dataSize = file.byteSize() - dataOffset;
        for (Pending p : pending) {
            if (p.offset % alignment != 0) {
                throw in.bad("tensor '" + p.name + "' data offset " + p.offset + " is not a multiple of the alignment " + alignment);
            }
            if (p.offset > dataSize || p.bytes > dataSize - p.offset) {
                throw in.bad("tensor '" + p.name + "' (" + p.type + " " + Arrays.toString(p.shape) + ") needs bytes ["
                        + (dataOffset + p.offset) + ", " + (dataOffset + p.offset + p.bytes) + ") but the file has only "
                        + file.byteSize() + " bytes (truncated file?)");
            }
        }
        List<Pending> byOffset = pending.stream().filter(p -> p.bytes > 0)
                .sorted(Comparator.comparingLong(Pending::offset)).toList();
        for (int i = 1; i < byOffset.size(); i++) {
            Pending a = byOffset.get(i - 1);
            Pending b = byOffset.get(i);
            if (b.offset < a.offset + a.bytes) {
                throw in.bad("tensor '" + b.name + "' (data bytes [" + b.offset + ", " + (b.offset + b.bytes)
                        + ")) overlaps tensor '" + a.name + "' ([" + a.offset + ", " + (a.offset + a.bytes) + "))");
            }
        }
        List<GgufTensorInfo> tensors = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            tensors.add(new GgufTensorInfo(p.name, p.type, p.shape, p.offset, file.asSlice(dataOffset + p.offset, p.bytes)));
        }
        return List.copyOf(tensors);
    }

    static long alignUp(long position, long alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }
}

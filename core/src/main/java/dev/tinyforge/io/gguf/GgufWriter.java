package dev.tinyforge.io.gguf;

import dev.tinyforge.io.LittleEndianOutput;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.util.AtomicFiles;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a GGUF v3 file the way llama.cpp's {@code gguf_write_to_file} does: metadata in insertion
 * order, tensors in insertion order, each tensor's offset the padded end of the one before, and zero
 * padding after the tensor infos and after every tensor (the last one included) up to
 * {@code general.alignment} (default 32). llama.cpp refuses files whose offsets are not laid out this
 * way. The file appears only when complete (written to a temporary file, then renamed).
 *
 * <pre>{@code
 * new GgufWriter()
 *     .put("general.architecture", GgufValue.string("llama"))
 *     .addTensor("output_norm.weight", GgmlType.F32, new long[] {64}, segment)
 *     .write(path);
 * }</pre>
 */
public final class GgufWriter {
    /** llama.cpp's GGML_MAX_NAME is 64 bytes including the terminating NUL. */
    public static final int MAX_NAME_BYTES = 63;

    /** Produces a tensor's bytes on demand (e.g. quantizing a row at a time) instead of holding them. */
    @FunctionalInterface
    public interface TensorBytes {
        void writeTo(OutputStream out) throws IOException;
    }

    private record Tensor(String name, GgmlType type, long[] shape, long bytes, TensorBytes source) {}

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    /** Adds or replaces a metadata entry (a replaced key keeps its position). */
    public GgufWriter put(String key, GgufValue value) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("metadata key must not be empty");
        metadata.put(key, Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Copies every entry of {@code source}, e.g. to rewrite a file with changes. */
    public GgufWriter putAll(GgufMetadata source) {
        source.asMap().forEach(this::put);
        return this;
    }

    /** The entries put so far, in order (package-private, for tests). */
    Map<String, GgufValue> metadataForTest() {
        return java.util.Collections.unmodifiableMap(metadata);
    }

    public GgufWriter remove(String key) {
        metadata.remove(key);
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValue.string(value));
    }

    public GgufWriter putUInt32(String key, long value) {
        return put(key, GgufValue.u32(value));
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValue.f32(value));
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValue.bool(value));
    }

    /**
     * Adds a tensor whose bytes are already in memory (heap, or mapped from another file).
     * {@code shape} is in ggml order (row length first).
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, MemorySegment data) {
        long bytes = checkTensor(name, type, shape);
        if (data.byteSize() != bytes) {
            throw new IllegalArgumentException("tensor '" + name + "' " + type + " " + Arrays.toString(shape) + " needs "
                    + bytes + " bytes, got " + data.byteSize());
        }
        return add(new Tensor(name, type, shape.clone(), bytes, out -> new LittleEndianOutput(out).segment(data)));
    }

    /** Adds a tensor whose bytes {@code source} writes when the file is written; it must write exactly the right count. */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, TensorBytes source) {
        long bytes = checkTensor(name, type, shape);
        return add(new Tensor(name, type, shape.clone(), bytes, Objects.requireNonNull(source)));
    }

    private GgufWriter add(Tensor tensor) {
        names.add(tensor.name);
        tensors.add(tensor);
        return this;
    }

    private long checkTensor(String name, GgmlType type, long[] shape) {
        if (names.contains(name)) throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("tensor name '" + name + "' is longer than " + MAX_NAME_BYTES + " bytes");
        }
        if (shape.length > GgufReader.MAX_DIMS) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + shape.length + " dimensions; at most 4");
        }
        long elements = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension " + d);
            elements = Math.multiplyExact(elements, d);
        }
        long rowLength = shape.length == 0 ? 1 : shape[0];
        if (rowLength % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "' row length " + rowLength
                    + " is not a multiple of the " + type + " block size " + type.blockSize());
        }
        long bytes = type.byteSize(elements);
        if (bytes < 0) throw new IllegalArgumentException("tensor '" + name + "' is too large");
        return bytes;
    }

    /** Writes the file atomically. */
    public void write(Path target) throws IOException {
        int alignment = alignment();
        AtomicFiles.write(target, stream -> {
            LittleEndianOutput out = new LittleEndianOutput(stream);
            out.i32(GgufReader.MAGIC);
            out.i32(3);
            out.i64(tensors.size());
            out.i64(metadata.size());
            for (var e : metadata.entrySet()) {
                string(out, e.getKey());
                out.i32(e.getValue().type().id());
                value(out, e.getValue());
            }
            long offset = 0;
            for (Tensor t : tensors) {
                string(out, t.name);
                out.i32(t.shape.length);
                for (long d : t.shape) out.i64(d);
                out.i32(t.type.id());
                out.i64(offset);
                offset += GgufReader.alignUp(t.bytes, alignment);
            }
            out.padTo(alignment);
            for (Tensor t : tensors) {
                tensorData(stream, out, t);
                out.padTo(alignment);
            }
        });
    }

    private int alignment() {
        GgufValue value = metadata.get("general.alignment");
        if (value == null) return GgufFile.DEFAULT_ALIGNMENT;
        if (value instanceof GgufValue.Int n && n.type() == GgufValueType.UINT32
                && n.value() > 0 && (n.value() & (n.value() - 1)) == 0 && n.value() <= (1 << 30)) {
            return (int) n.value();
        }
        throw new IllegalArgumentException("general.alignment must be a UINT32 power of two, got " + value);
    }

    private static void tensorData(OutputStream stream, LittleEndianOutput out, Tensor t) throws IOException {
        long[] count = {0};
        OutputStream counting = new FilterOutputStream(stream) {
            @Override
            public void write(int b) throws IOException {
                stream.write(b);
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                stream.write(b, off, len);
                count[0] += len;
            }

            @Override
            public void close() {
                // the file stream is closed by AtomicFiles, not by a tensor source
            }
        };
        t.source.writeTo(counting);
        if (count[0] != t.bytes) {
            throw new IllegalStateException("tensor '" + t.name + "' source wrote " + count[0] + " bytes, expected " + t.bytes);
        }
        out.advance(t.bytes);
    }

    private static void string(LittleEndianOutput out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.i64(utf8.length);
        out.bytes(utf8);
    }

    private static void value(LittleEndianOutput out, GgufValue value) throws IOException {
        switch (value) {
            case GgufValue.Int n -> {
                switch (n.type().size()) {
                    case 1 -> out.u8((int) n.value());
                    case 2 -> out.i16((int) n.value());
                    case 4 -> out.i32((int) n.value());
                    default -> out.i64(n.value());
                }
            }
            case GgufValue.F32 f -> out.i32(Float.floatToRawIntBits(f.value()));
            case GgufValue.F64 f -> out.i64(Double.doubleToRawLongBits(f.value()));
            case GgufValue.Bool b -> out.u8(b.value() ? 1 : 0);
            case GgufValue.Str s -> string(out, s.value());
            case GgufArray a -> {
                out.i32(a.elementType().id());
                out.i64(a.size());
                if (a.elementType() == GgufValueType.ARRAY) {
                    for (int i = 0; i < a.size(); i++) value(out, a.getArray(i));
                } else {
                    out.segment(a.encoded());
                }
            }
        }
    }
}

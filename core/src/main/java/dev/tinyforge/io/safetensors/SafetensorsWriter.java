package dev.tinyforge.io.safetensors;

import dev.tinyforge.io.LittleEndianOutput;
import dev.tinyforge.tensor.LittleEndian;
import dev.tinyforge.util.AtomicFiles;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes a safetensors file byte for byte as the reference library ({@code safetensors.torch.save_file})
 * does: tensors ordered by dtype layout rank (widest first, so every tensor stays aligned to its
 * element size) then by name, compact JSON with {@code __metadata__} first, the header padded with
 * spaces to a multiple of 8 bytes. Metadata keys are sorted (the reference writes them in hash
 * order; sorting makes our output deterministic). The file appears only when complete.
 */
public final class SafetensorsWriter {
    /** Produces a tensor's bytes when the file is written (e.g. converting a row at a time) instead of holding them. */
    @FunctionalInterface
    public interface TensorBytes {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    private record Tensor(String name, SafetensorsDtype dtype, long[] shape, long bytes, TensorBytes source) {}

    private final Map<String, String> metadata = new TreeMap<>();
    private final Map<String, Tensor> tensors = new TreeMap<>();

    public SafetensorsWriter putMetadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
        return this;
    }

    /** Adds a tensor; {@code shape} in PyTorch order, {@code data} little-endian row-major. */
    public SafetensorsWriter add(String name, SafetensorsDtype dtype, long[] shape, MemorySegment data) {
        long bytes = check(name, dtype, shape);
        if (bytes != data.byteSize()) {
            throw new IllegalArgumentException("tensor '" + name + "' " + dtype + " " + Arrays.toString(shape) + " needs "
                    + bytes + " bytes, got " + data.byteSize());
        }
        tensors.put(name, new Tensor(name, dtype, shape.clone(), bytes, out -> new LittleEndianOutput(out).segment(data)));
        return this;
    }

    /** Adds a tensor whose bytes {@code source} writes when the file is written; it must write exactly the right count. */
    public SafetensorsWriter add(String name, SafetensorsDtype dtype, long[] shape, TensorBytes source) {
        long bytes = check(name, dtype, shape);
        tensors.put(name, new Tensor(name, dtype, shape.clone(), bytes, Objects.requireNonNull(source)));
        return this;
    }

    private long check(String name, SafetensorsDtype dtype, long[] shape) {
        if (name.equals(SafetensorsHeader.METADATA_KEY)) throw new IllegalArgumentException("\"__metadata__\" cannot name a tensor");
        if (tensors.containsKey(name)) throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        long elements = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension " + d);
            elements = Math.multiplyExact(elements, d);
        }
        return dtype.byteSize(elements);
    }

    /** Adds an F32 tensor from a float array. */
    public SafetensorsWriter addFloats(String name, long[] shape, float[] values) {
        MemorySegment data = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, 4)]);
        MemorySegment.copy(values, 0, data, LittleEndian.F32, 0, values.length);
        return add(name, SafetensorsDtype.F32, shape, data);
    }

    public void write(Path target) throws IOException {
        AtomicFiles.write(target, this::writeTo);
    }

    /** Writes the file's bytes to a stream (for callers that commit several files together). */
    public void writeTo(java.io.OutputStream stream) throws IOException {
        List<Tensor> ordered = order();
        byte[] header = header(ordered);
        LittleEndianOutput out = new LittleEndianOutput(stream);
        out.i64(header.length);
        out.bytes(header);
        for (Tensor t : ordered) {
            long[] count = {0};
            t.source.writeTo(new java.io.FilterOutputStream(stream) {
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
                    // the file stream is closed by its owner, not by a tensor source
                }
            });
            if (count[0] != t.bytes) {
                throw new IllegalStateException("tensor '" + t.name + "' source wrote " + count[0] + " bytes, expected " + t.bytes);
            }
            out.advance(count[0]);
        }
    }

    private List<Tensor> order() {
        List<Tensor> ordered = new ArrayList<>(tensors.values());
        ordered.sort(Comparator.comparing((Tensor t) -> t.dtype, Comparator.reverseOrder())
                .thenComparing((a, b) -> Arrays.compareUnsigned(utf8(a.name), utf8(b.name))));
        return ordered;
    }

    private byte[] header(List<Tensor> ordered) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(quote(SafetensorsHeader.METADATA_KEY)).append(":{");
            String sep = "";
            for (var e : metadata.entrySet()) {
                json.append(sep).append(quote(e.getKey())).append(':').append(quote(e.getValue()));
                sep = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (Tensor t : ordered) {
            if (json.length() > 1) json.append(',');
            long end = offset + t.bytes;
            json.append(quote(t.name)).append(":{\"dtype\":").append(quote(t.dtype.name())).append(",\"shape\":[");
            for (int i = 0; i < t.shape.length; i++) json.append(i == 0 ? "" : ",").append(t.shape[i]);
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] raw = json.toString().getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(raw, (raw.length + 7) / 8 * 8);
        Arrays.fill(padded, raw.length, padded.length, (byte) ' ');
        return padded;
    }

    /** A JSON string literal escaped as serde_json does: only quote, backslash and control characters. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

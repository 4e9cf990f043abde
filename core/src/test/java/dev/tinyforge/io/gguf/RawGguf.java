package dev.tinyforge.io.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds GGUF bytes field by field, so that tests can write exactly the lie they want to test. */
final class RawGguf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** magic, version, tensor count, metadata count. */
    static RawGguf header(int version, long tensors, long kvs) {
        return new RawGguf().bytes("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(version).u64(tensors).u64(kvs);
    }

    RawGguf bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    RawGguf u8(int v) {
        out.write(v);
        return this;
    }

    RawGguf u32(long v) {
        for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    RawGguf u64(long v) {
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    RawGguf str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u64(b.length).bytes(b);
    }

    /** A metadata entry of a scalar UINT32. */
    RawGguf kvU32(String key, long value) {
        return str(key).u32(GgufValueType.UINT32.id()).u32(value);
    }

    /** A tensor info. */
    RawGguf tensor(String name, int type, long offset, long... dims) {
        str(name).u32(dims.length);
        for (long d : dims) u64(d);
        return u32(type).u64(offset);
    }

    /** Zero padding up to the next multiple of {@code alignment}. */
    RawGguf pad(int alignment) {
        while (out.size() % alignment != 0) out.write(0);
        return this;
    }

    RawGguf zeros(int n) {
        out.writeBytes(new byte[n]);
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    Path write(Path file) throws IOException {
        Files.write(file, out.toByteArray());
        return file;
    }
}

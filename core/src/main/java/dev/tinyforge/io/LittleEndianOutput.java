package dev.tinyforge.io;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes little-endian numbers and memory segments to a stream and counts the bytes, which the
 * format writers need for padding and offsets ({@link java.io.DataOutputStream} is big-endian).
 */
public final class LittleEndianOutput {
    private static final int CHUNK = 1 << 16;

    private final OutputStream out;
    private final byte[] scratch = new byte[CHUNK];
    private long written;

    public LittleEndianOutput(OutputStream out) {
        this.out = out;
    }

    public long written() {
        return written;
    }

    public void u8(int v) throws IOException {
        out.write(v);
        written++;
    }

    public void i16(int v) throws IOException {
        number(v, 2);
    }

    public void i32(int v) throws IOException {
        number(v, 4);
    }

    public void i64(long v) throws IOException {
        number(v, 8);
    }

    private void number(long v, int bytes) throws IOException {
        for (int i = 0; i < bytes; i++) scratch[i] = (byte) (v >>> (8 * i));
        out.write(scratch, 0, bytes);
        written += bytes;
    }

    public void bytes(byte[] b) throws IOException {
        out.write(b);
        written += b.length;
    }

    /** Copies a segment (heap or mapped) to the stream in chunks. */
    public void segment(MemorySegment s) throws IOException {
        long size = s.byteSize();
        for (long at = 0; at < size; at += CHUNK) {
            int n = (int) Math.min(CHUNK, size - at);
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at, scratch, 0, n);
            out.write(scratch, 0, n);
        }
        written += size;
    }

    /** Writes zero bytes up to the next multiple of {@code alignment}. */
    public void padTo(long alignment) throws IOException {
        long pad = (alignment - written % alignment) % alignment;
        for (long i = 0; i < pad; i++) out.write(0);
        written += pad;
    }

    /** Records bytes that a caller wrote to the underlying stream directly. */
    public void advance(long bytes) {
        written += bytes;
    }
}

package dev.tinyforge.io.gguf;

import dev.tinyforge.tensor.LittleEndian;
import dev.tinyforge.util.BadInputException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Reads the GGUF header front to back. Every read first checks that the bytes are there, and every
 * declared length or count is checked against the bytes that remain before anything is allocated,
 * so a lying header costs an error message, not memory.
 */
final class GgufCursor {
    private final MemorySegment file;
    private final long size;
    private final String source;
    private long pos;

    GgufCursor(MemorySegment file, String source) {
        this.file = file;
        this.size = file.byteSize();
        this.source = source;
    }

    long position() {
        return pos;
    }

    long remaining() {
        return size - pos;
    }

    BadInputException bad(String problem) {
        return new BadInputException(source + ": " + problem);
    }

    void require(long bytes, String what) {
        if (bytes < 0 || bytes > remaining()) {
            throw bad(what + " at byte " + pos + " needs " + Long.toUnsignedString(bytes) + " bytes but the file ends after "
                    + remaining() + " more (truncated file?)");
        }
    }

    int u8(String what) {
        require(1, what);
        return file.get(LittleEndian.I8, pos++) & 0xFF;
    }

    int i16(String what) {
        require(2, what);
        short v = file.get(LittleEndian.I16, pos);
        pos += 2;
        return v;
    }

    int i32(String what) {
        require(4, what);
        int v = file.get(LittleEndian.I32, pos);
        pos += 4;
        return v;
    }

    long u32(String what) {
        return i32(what) & 0xFFFF_FFFFL;
    }

    /** A uint64 or int64 as raw bits. */
    long i64(String what) {
        require(8, what);
        long v = file.get(LittleEndian.I64, pos);
        pos += 8;
        return v;
    }

    /**
     * A uint64 count of items that take at least {@code minBytesEach} bytes each; rejected when the
     * rest of the file could not hold that many.
     */
    long count(String what, long minBytesEach) {
        long count = i64(what);
        long fit = remaining() / Math.max(1, minBytesEach);
        if (count < 0 || count > fit) {
            throw bad(what + " is " + Long.toUnsignedString(count) + ", but the remaining " + remaining()
                    + " bytes of the file can hold at most " + fit);
        }
        return count;
    }

    /** A GGUF string: uint64 byte length then UTF-8 (malformed bytes become U+FFFD). */
    String string(String what) {
        long length = stringLength(what);
        byte[] bytes = file.asSlice(pos, length).toArray(LittleEndian.I8);
        pos += length;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Reads a string's length prefix, checks the bytes are there, and leaves the cursor on them. */
    long stringLength(String what) {
        long length = i64("length of " + what);
        if (length < 0 || length > remaining()) {
            throw bad(what + " declares " + Long.toUnsignedString(length) + " bytes but only " + remaining()
                    + " remain in the file");
        }
        if (length > Integer.MAX_VALUE - 8) throw bad(what + " is " + length + " bytes long; at most 2 GB is supported");
        return length;
    }

    void skip(long bytes, String what) {
        require(bytes, what);
        pos += bytes;
    }

    /** Copies the next {@code bytes} bytes to the heap. */
    byte[] copy(long bytes, String what) {
        require(bytes, what);
        if (bytes > Integer.MAX_VALUE - 8) throw bad(what + " is " + bytes + " bytes long; at most 2 GB is supported");
        byte[] out = file.asSlice(pos, bytes).toArray(LittleEndian.I8);
        pos += bytes;
        return out;
    }

    /** A copy of bytes [from, to) already passed over. */
    byte[] copyRange(long from, long to) {
        return file.asSlice(from, to - from).toArray(LittleEndian.I8);
    }
}

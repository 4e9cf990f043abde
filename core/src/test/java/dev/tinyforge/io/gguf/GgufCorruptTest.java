package dev.tinyforge.io.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.util.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and hostile GGUF files: each must be a clear {@link BadInputException}, never anything worse. */
class GgufCorruptTest {
    private static final int F32 = GgmlType.F32.id();
    private static final long HUGE = 1L << 62;

    @TempDir
    Path tmp;

    private void rejects(RawGguf raw, String... expectedFragments) throws Exception {
        rejects(raw.toBytes(), expectedFragments);
    }

    private void rejects(byte[] bytes, String... expectedFragments) throws Exception {
        Path file = Files.write(tmp.resolve("bad.gguf"), bytes);
        BadInputException e = assertThrows(BadInputException.class, () -> {
            try (GgufFile ignored = GgufFile.open(file)) {
                // opened: the test fails below
            }
        });
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), "names the file: " + e.getMessage());
        for (String fragment : expectedFragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' missing from: " + e.getMessage());
        }
    }

    /** A valid file with one F32 tensor of 8 values, to be corrupted by the tests. */
    private static RawGguf valid() {
        return RawGguf.header(3, 1, 1).kvU32("general.alignment", 32).tensor("t", F32, 0, 8).pad(32).zeros(32);
    }

    @Test
    void theValidBaseFileOpens() throws Exception {
        try (GgufFile gguf = GgufFile.open(valid().write(tmp.resolve("ok.gguf")))) {
            assertEquals(8, gguf.tensor("t").elementCount());
        }
    }

    @Test
    void wrongMagicVersionAndEndianness() throws Exception {
        rejects(new byte[0], "not a GGUF file", "empty file");
        rejects(new RawGguf().bytes("GGML".getBytes()).u32(3).u64(0).u64(0), "not a GGUF file", "47 47 4d 4c");
        rejects(RawGguf.header(1, 0, 0), "version 1 is no longer supported");
        rejects(RawGguf.header(4, 0, 0), "unsupported GGUF version 4", "expected 2 or 3");
        rejects(RawGguf.header(0x0300_0000, 0, 0), "big-endian");
        rejects(new RawGguf().bytes("GGUF".getBytes()).u8(3), "GGUF version", "truncated");
    }

    @Test
    void absurdCounts() throws Exception {
        rejects(RawGguf.header(3, HUGE, 0), "tensor count is 4611686018427387904");
        rejects(RawGguf.header(3, -1, 0), "tensor count is 18446744073709551615");
        rejects(RawGguf.header(3, 0, 1_000_000), "metadata entry count is 1000000");
        // each count alone fits in the 48 remaining bytes, both together do not
        rejects(RawGguf.header(3, 2, 3).zeros(48), "header declares 2 tensors and 3 metadata entries", "more than the remaining 48 bytes");
    }

    @Test
    void hostileStringsAndArrays() throws Exception {
        rejects(RawGguf.header(3, 0, 1).u64(HUGE).bytes("k".getBytes()).zeros(64), "key of metadata entry 0 declares 4611686018427387904 bytes");
        rejects(RawGguf.header(3, 0, 1).u64(-1).zeros(64), "declares 18446744073709551615 bytes");
        rejects(RawGguf.header(3, 0, 1).str("k").u32(GgufValueType.STRING.id()).u64(1000).bytes("abc".getBytes()), "metadata key 'k'", "declares 1000 bytes");
        rejects(RawGguf.header(3, 0, 1).str("k").u32(13).u32(0), "unknown value type 13");
        rejects(RawGguf.header(3, 0, 1).str("k").u32(GgufValueType.ARRAY.id()).u32(GgufValueType.UINT32.id()).u64(HUGE),
                "element count of metadata key 'k' is 4611686018427387904");
        rejects(RawGguf.header(3, 0, 1).str("k").u32(GgufValueType.ARRAY.id()).u32(GgufValueType.STRING.id()).u64(2).u64(1).bytes("a".getBytes()).u64(HUGE),
                "element 1 of metadata key 'k' declares");
        rejects(RawGguf.header(3, 0, 1).str("k").u32(GgufValueType.ARRAY.id()).u32(99).u64(0), "unknown value type 99");
        RawGguf deep = RawGguf.header(3, 0, 1).str("k").u32(GgufValueType.ARRAY.id());
        for (int i = 0; i < 40; i++) deep.u32(GgufValueType.ARRAY.id()).u64(1);
        rejects(deep.zeros(64), "nests arrays more than 16 deep");
        rejects(RawGguf.header(3, 0, 1).str("k").u32(GgufValueType.BOOL.id()).u8(2), "bool stored as 2");
        rejects(RawGguf.header(3, 0, 2).kvU32("k", 1).kvU32("k", 2), "duplicate metadata key 'k'");
        rejects(RawGguf.header(3, 0, 1).kvU32("", 1), "empty key");
    }

    @Test
    void badAlignment() throws Exception {
        rejects(RawGguf.header(3, 0, 1).kvU32("general.alignment", 48), "'general.alignment' is 48", "power of two");
        rejects(RawGguf.header(3, 0, 1).kvU32("general.alignment", 0), "power of two");
        rejects(RawGguf.header(3, 0, 1).str("general.alignment").u32(GgufValueType.INT32.id()).u32(32), "expected UINT32");
    }

    @Test
    void badTensorInfos() throws Exception {
        rejects(RawGguf.header(3, 1, 0).tensor("t", F32, 0, 1, 1, 1, 1, 1).zeros(64), "tensor 't' has 5 dimensions", "at most 4");
        rejects(RawGguf.header(3, 1, 0).tensor("t", F32, 0, 1L << 40, 1L << 40).zeros(64), "tensor 't'", "overflows 64 bits");
        rejects(RawGguf.header(3, 1, 0).tensor("t", F32, 0, -1).zeros(64), "dimension 0 is 18446744073709551615");
        rejects(RawGguf.header(3, 1, 0).tensor("t", F32, 0, 1L << 61).zeros(64), "too large to address");
        rejects(RawGguf.header(3, 1, 0).tensor("t", 4, 0, 8).zeros(64), "unknown ggml type id 4", "expected a known id (0-3, 6-30, 34-35, 39)");
        rejects(RawGguf.header(3, 1, 0).tensor("t", 1000, 0, 8).zeros(64), "unknown ggml type id 1000");
        rejects(RawGguf.header(3, 1, 0).tensor("t", GgmlType.Q4_K.id(), 0, 100).zeros(64), "rows of 100 values", "block size 256");
        rejects(RawGguf.header(3, 2, 0).tensor("t", F32, 0, 8).tensor("t", F32, 32, 8).pad(32).zeros(64), "duplicate tensor name 't'");
        rejects(RawGguf.header(3, 1, 0).str("tensor-name-long").u32(2).u64(8), "dimension 1 of tensor 'tensor-name-long'", "truncated");
    }

    @Test
    void tensorDataOutOfPlace() throws Exception {
        rejects(RawGguf.header(3, 1, 0).tensor("t", F32, 16, 8).pad(32).zeros(64), "data offset 16 is not a multiple of the alignment 32");
        rejects(RawGguf.header(3, 1, 0).tensor("t", F32, 0, 8).pad(32).zeros(31), "tensor 't' (F32 [8]) needs bytes", "truncated");
        rejects(RawGguf.header(3, 1, 0).tensor("t", F32, 1L << 62, 8).pad(32).zeros(32), "tensor 't'", "only");
        rejects(RawGguf.header(3, 1, 0).tensor("t", F32, -32, 8).pad(32).zeros(32), "larger than any file");
        rejects(RawGguf.header(3, 2, 0).tensor("a", F32, 0, 16).tensor("b", F32, 32, 16).pad(32).zeros(96),
                "tensor 'b'", "overlaps tensor 'a'");
        // header ends exactly at the end of the file: the data section would start past it
        rejects(RawGguf.header(3, 1, 0).tensor("t", F32, 0, 0), "data section would start at byte");
    }

    @Test
    void everyTruncationOfAValidFileIsRejected() throws Exception {
        byte[] full = valid().toBytes();
        for (int length = 0; length < full.length; length++) {
            rejects(Arrays.copyOf(full, length));
        }
    }
}

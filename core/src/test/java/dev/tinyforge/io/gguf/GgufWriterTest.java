package dev.tinyforge.io.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.util.BadInputException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufWriterTest {
    @TempDir
    Path tmp;

    /** Metadata with every value type, extremes, unicode, empty and nested arrays. */
    static GgufWriter everyValueType() {
        return new GgufWriter()
                .put("u8", GgufValue.u8(255))
                .put("i8", GgufValue.i8(-128))
                .put("u16", GgufValue.u16(65535))
                .put("i16", GgufValue.i16(-32768))
                .put("u32", GgufValue.u32(0xFFFF_FFFFL))
                .put("i32", GgufValue.i32(Integer.MIN_VALUE))
                .put("u64", GgufValue.u64(-1L))
                .put("i64", GgufValue.i64(Long.MIN_VALUE))
                .put("f32", GgufValue.f32(-1.5e-7f))
                .put("f32.nan", GgufValue.f32(Float.intBitsToFloat(0x7FC0_1234)))
                .put("f64", GgufValue.f64(Math.PI))
                .put("yes", GgufValue.bool(true))
                .put("no", GgufValue.bool(false))
                .put("text", GgufValue.string("héllo ▁wörld 😀 \"quoted\"\n"))
                .put("empty", GgufValue.string(""))
                .put("strings", GgufArray.ofStrings(List.of("<unk>", "", "▁the", "😀")))
                .put("floats", GgufArray.ofFloats(new float[] {0f, -0f, 1e-30f, Float.NEGATIVE_INFINITY}))
                .put("ints", GgufArray.ofInts(new int[] {1, -2, Integer.MAX_VALUE}))
                .put("u64s", GgufArray.ofIntegers(GgufValueType.UINT64, new long[] {0, -1}))
                .put("bools", GgufArray.ofBooleans(new boolean[] {true, false}))
                .put("doubles", GgufArray.ofDoubles(new double[] {1.0 / 3}))
                .put("none", GgufArray.ofStrings(List.of()))
                .put("nested", GgufArray.ofArrays(List.of(
                        GgufArray.ofStrings(List.of("a", "bc")),
                        GgufArray.ofInts(new int[] {7}),
                        GgufArray.ofArrays(List.of(GgufArray.ofFloats(new float[] {2.5f}))))));
    }

    @Test
    void everyValueTypeAndTensorRoundTrips() throws Exception {
        byte[] q4 = new byte[2 * 18];
        for (int i = 0; i < q4.length; i++) q4[i] = (byte) (i * 37);
        float[] floats = new float[2 * 3 * 4 * 5];
        for (int i = 0; i < floats.length; i++) floats[i] = i - 0.5f;
        MemorySegment f32 = MemorySegment.ofArray(new byte[floats.length * 4]);
        MemorySegment.copy(floats, 0, f32, dev.tinyforge.tensor.LittleEndian.F32, 0, floats.length);

        GgufWriter writer = everyValueType()
                .put("general.alignment", GgufValue.u32(64))
                .addTensor("four.dims", GgmlType.F32, new long[] {5, 4, 3, 2}, f32)
                .addTensor("quantized", GgmlType.Q4_0, new long[] {32, 2}, MemorySegment.ofArray(q4))
                .addTensor("scalar", GgmlType.F32, new long[] {}, MemorySegment.ofArray(new byte[] {0, 0, (byte) 0x80, 0x3F}))
                .addTensor("empty", GgmlType.F16, new long[] {0, 7}, MemorySegment.ofArray(new byte[0]))
                .addTensor("streamed", GgmlType.I8, new long[] {100}, out -> {
                    for (int i = 0; i < 100; i++) out.write(i);
                });
        Path file = tmp.resolve("all.gguf");
        writer.write(file);

        try (GgufFile gguf = GgufFile.open(file)) {
            assertEquals(64, gguf.alignment());
            GgufMetadata m = gguf.metadata();
            assertEquals(everyValueType().put("general.alignment", GgufValue.u32(64)).metadataForTest(), m.asMap());
            assertEquals(-1L, ((GgufValue.Int) m.get("u64").orElseThrow()).value());
            assertEquals(0x7FC0_1234, Float.floatToRawIntBits(m.getFloat("f32.nan")));
            assertEquals("héllo ▁wörld 😀 \"quoted\"\n", m.getString("text"));
            assertEquals(List.of("<unk>", "", "▁the", "😀"), m.getArray("strings").toStringList());
            GgufArray nested = m.getArray("nested");
            assertEquals("bc", nested.getArray(0).getString(1));
            assertEquals(2.5f, nested.getArray(2).getArray(0).getFloat(0));
            assertArrayEquals(new long[] {0, -1}, m.getArray("u64s").toLongArray());
            assertEquals(Math.PI, m.getDouble("f64"));
            assertTrue(m.getBoolean("yes"));

            assertEquals(List.of("four.dims", "quantized", "scalar", "empty", "streamed"),
                    gguf.tensors().stream().map(GgufTensorInfo::name).toList());
            for (GgufTensorInfo t : gguf.tensors()) assertEquals(0, t.offset() % 64, t.name());
            assertArrayEquals(floats, gguf.tensor("four.dims").toFloatArray());
            assertArrayEquals(new long[] {5, 4, 3, 2}, gguf.tensor("four.dims").shape());
            assertArrayEquals(q4, gguf.tensor("quantized").data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            assertArrayEquals(new float[] {1f}, gguf.tensor("scalar").toFloatArray());
            assertEquals(0, gguf.tensor("empty").byteSize());
            assertEquals(99, gguf.tensor("streamed").data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 99));
        }
    }

    @Test
    void gettersNameTheFileTheKeyAndWhatWasExpected() throws Exception {
        Path file = tmp.resolve("m.gguf");
        everyValueType().write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufMetadata m = gguf.metadata();
            var missing = assertThrows(BadInputException.class, () -> m.getString("general.architecture"));
            assertTrue(missing.getMessage().contains(file.toString()) && missing.getMessage().contains("'general.architecture' is missing"), missing.getMessage());
            var wrongType = assertThrows(BadInputException.class, () -> m.getInt("text"));
            assertTrue(wrongType.getMessage().contains("'text' has type STRING; expected an integer"), wrongType.getMessage());
            assertThrows(BadInputException.class, () -> m.getLong("u64")); // 2^64-1 is no signed long
            assertEquals("fallback", m.getString("absent", "fallback"));
            assertThrows(BadInputException.class, () -> m.getString("u8", "fallback")); // present, wrong type
            assertEquals(255, m.getInt("u8"));
        }
    }

    @Test
    void writerRejectsInconsistentTensors() {
        GgufWriter w = new GgufWriter();
        MemorySegment eight = MemorySegment.ofArray(new byte[8]);
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("a", GgmlType.F32, new long[] {3}, eight));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("a", GgmlType.Q4_0, new long[] {16}, eight));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("x".repeat(64), GgmlType.F32, new long[] {2}, eight));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("a", GgmlType.F32, new long[] {1, 1, 1, 1, 2}, eight));
        w.addTensor("a", GgmlType.F32, new long[] {2}, eight);
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("a", GgmlType.F32, new long[] {2}, eight));
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter().put("general.alignment", GgufValue.u32(48)).write(tmp.resolve("x.gguf")));
    }

    @Test
    void aFailedWriteLeavesNoFile() {
        Path target = tmp.resolve("partial.gguf");
        GgufWriter w = new GgufWriter().addTensor("short", GgmlType.F32, new long[] {4}, out -> out.write(new byte[3]));
        assertThrows(IllegalStateException.class, () -> w.write(target));
        assertFalse(Files.exists(target));
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "temporary file removed");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}

package dev.tinyforge.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
    @TempDir
    Path tmp;

    private byte[] write(SafetensorsWriter w) throws Exception {
        Path file = tmp.resolve("t.safetensors");
        w.write(file);
        return Files.readAllBytes(file);
    }

    private static byte[] expected(String header, int pad, float... data) {
        byte[] json = (header + " ".repeat(pad)).getBytes(StandardCharsets.UTF_8);
        MemorySegment out = MemorySegment.ofArray(new byte[8 + json.length + 4 * data.length]);
        out.set(LittleEndian.I64, 0, json.length);
        MemorySegment.copy(json, 0, out, ValueLayout.JAVA_BYTE, 8, json.length);
        MemorySegment.copy(data, 0, out, LittleEndian.F32, 8 + json.length, data.length);
        return out.toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void matchesTheReferenceLibrarysTestVectors() throws Exception {
        // the byte arrays asserted by safetensors' own tests (test_serialization, test_empty, forced alignment)
        float[] values = {0, 1, 2, 3, 4, 5};
        assertArrayEquals(expected("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}", 0, values),
                write(new SafetensorsWriter().addFloats("attn.0", new long[] {1, 2, 3}, values)));
        assertArrayEquals(expected("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}", 7, values),
                write(new SafetensorsWriter().addFloats("attn0", new long[] {1, 1, 2, 3}, values)));
        assertArrayEquals(expected("{}", 6), write(new SafetensorsWriter()));
        assertArrayEquals(expected("{\"__metadata__\":{\"framework\":\"pt\"}}", 5),
                write(new SafetensorsWriter().putMetadata("framework", "pt")));
    }

    @Test
    void ordersByDtypeWidthThenNameAndRoundTripsEveryDtype() throws Exception {
        SafetensorsWriter w = new SafetensorsWriter()
                .putMetadata("z", "last key")
                .putMetadata("a \"quoted\"\n\u0001 ▁é", "control chars and unicode");
        Map<SafetensorsDtype, long[]> shapes = Map.of(
                SafetensorsDtype.U8, new long[] {3}, SafetensorsDtype.BOOL, new long[] {1, 1},
                SafetensorsDtype.BF16, new long[] {2}, SafetensorsDtype.F16, new long[] {3},
                SafetensorsDtype.I32, new long[] {1}, SafetensorsDtype.F64, new long[] {2, 1},
                SafetensorsDtype.I64, new long[] {}, SafetensorsDtype.F4, new long[] {4}, SafetensorsDtype.U64, new long[] {0});
        for (var e : shapes.entrySet()) {
            long n = 1;
            for (long d : e.getValue()) n *= d;
            byte[] data = new byte[(int) e.getKey().byteSize(n)];
            for (int i = 0; i < data.length; i++) data[i] = (byte) (i + 1);
            w.add("t." + e.getKey().name().toLowerCase(), e.getKey(), e.getValue(), MemorySegment.ofArray(data));
        }
        Path file = tmp.resolve("all.safetensors");
        w.write(file);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(List.of("a \"quoted\"\n\u0001 ▁é", "z"), List.copyOf(st.metadata().keySet()));
            assertEquals(List.of("t.u64", "t.i64", "t.f64", "t.i32", "t.bf16", "t.f16", "t.u8", "t.f4", "t.bool"), st.names());
            long position = st.dataOffset();
            for (SafetensorsTensor t : st.tensors()) {
                assertArrayEquals(shapes.get(t.dtype()), t.shape(), t.name());
                assertEquals(0, position % Math.max(1, t.dtype().bits() / 8), t.name() + " is aligned to its element size");
                position += t.byteSize();
            }
            assertArrayEquals(new long[] {0x0807060504030201L}, st.tensor("t.i64").toLongArray());
        }
        String header = new String(Files.readAllBytes(file), 8, 120, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"a \\\"quoted\\\"\\n\\u0001 ▁é\":", header.substring(0, header.indexOf(':', 20) + 1));
    }

    @Test
    void rejectsInconsistentTensors() {
        SafetensorsWriter w = new SafetensorsWriter().addFloats("a", new long[] {2}, new float[2]);
        assertThrows(IllegalArgumentException.class, () -> w.addFloats("a", new long[] {2}, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> w.addFloats("b", new long[] {3}, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> w.addFloats("__metadata__", new long[] {2}, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> w.add("c", SafetensorsDtype.F4, new long[] {3}, MemorySegment.ofArray(new byte[2])));
    }
}

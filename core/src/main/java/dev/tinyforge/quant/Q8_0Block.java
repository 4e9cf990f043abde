package dev.tinyforge.quant;

import dev.tinyforge.tensor.Float16;
import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;

/** ggml {@code block_q8_0}, 34 bytes for 32 values: {@code d} (F16) then 32 signed bytes; value = q * d. */
public final class Q8_0Block implements BlockDecoder {
    public static final Q8_0Block INSTANCE = new Q8_0Block();

    private Q8_0Block() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = Float16.toFloat(src.get(LittleEndian.I16, offset));
        for (int j = 0; j < 32; j++) {
            dst[at + j] = src.get(LittleEndian.I8, offset + 2 + j) * d;
        }
    }
}

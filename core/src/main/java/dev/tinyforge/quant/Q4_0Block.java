package dev.tinyforge.quant;

import dev.tinyforge.tensor.Float16;
import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;

/**
 * ggml {@code block_q4_0}, 18 bytes for 32 values: {@code d} (F16) then 16 bytes of 4-bit quants.
 * Byte j holds value j in its low nibble and value j + 16 in its high nibble; value = (q - 8) * d.
 */
public final class Q4_0Block implements BlockDecoder {
    public static final Q4_0Block INSTANCE = new Q4_0Block();

    private Q4_0Block() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = Float16.toFloat(src.get(LittleEndian.I16, offset));
        for (int j = 0; j < 16; j++) {
            int q = src.get(LittleEndian.I8, offset + 2 + j) & 0xFF;
            dst[at + j] = ((q & 0x0F) - 8) * d;
            dst[at + j + 16] = ((q >>> 4) - 8) * d;
        }
    }
}

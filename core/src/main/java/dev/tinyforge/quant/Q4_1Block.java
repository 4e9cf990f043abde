package dev.tinyforge.quant;

import dev.tinyforge.tensor.Float16;
import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;

/**
 * ggml {@code block_q4_1}, 20 bytes for 32 values: {@code d}, {@code m} (F16 each), then 16 bytes of
 * 4-bit quants laid out as in {@link Q4_0Block}; value = q * d + m, rounded after the multiply and
 * after the add as ggml's source reads (see {@link Dequantizer} on fused multiply-add).
 */
public final class Q4_1Block implements BlockDecoder {
    public static final Q4_1Block INSTANCE = new Q4_1Block();

    private Q4_1Block() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q4_1;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = Float16.toFloat(src.get(LittleEndian.I16, offset));
        float m = Float16.toFloat(src.get(LittleEndian.I16, offset + 2));
        for (int j = 0; j < 16; j++) {
            int q = src.get(LittleEndian.I8, offset + 4 + j) & 0xFF;
            dst[at + j] = (q & 0x0F) * d + m;
            dst[at + j + 16] = (q >>> 4) * d + m;
        }
    }
}

package dev.tinyforge.quant;

import dev.tinyforge.tensor.Float16;
import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;

/**
 * ggml {@code block_q5_1}, 24 bytes for 32 values: {@code d}, {@code m} (F16 each), the 32-bit word of
 * fifth bits, then 16 bytes of low nibbles, laid out as in {@link Q5_0Block}; value = q * d + m.
 */
public final class Q5_1Block implements BlockDecoder {
    public static final Q5_1Block INSTANCE = new Q5_1Block();

    private Q5_1Block() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q5_1;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = Float16.toFloat(src.get(LittleEndian.I16, offset));
        float m = Float16.toFloat(src.get(LittleEndian.I16, offset + 2));
        int qh = src.get(LittleEndian.I32, offset + 4);
        for (int j = 0; j < 16; j++) {
            int q = src.get(LittleEndian.I8, offset + 8 + j) & 0xFF;
            int lo = (q & 0x0F) | (((qh >>> j) & 1) << 4);
            int hi = (q >>> 4) | (((qh >>> (j + 16)) & 1) << 4);
            dst[at + j] = lo * d + m;
            dst[at + j + 16] = hi * d + m;
        }
    }
}

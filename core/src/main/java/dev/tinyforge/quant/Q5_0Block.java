package dev.tinyforge.quant;

import dev.tinyforge.tensor.Float16;
import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;

/**
 * ggml {@code block_q5_0}, 22 bytes for 32 values: {@code d} (F16), a 32-bit little-endian word of
 * fifth bits (bit j belongs to value j), then 16 bytes of low nibbles laid out as in {@link Q4_0Block};
 * value = (q - 16) * d.
 */
public final class Q5_0Block implements BlockDecoder {
    public static final Q5_0Block INSTANCE = new Q5_0Block();

    private Q5_0Block() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q5_0;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = Float16.toFloat(src.get(LittleEndian.I16, offset));
        int qh = src.get(LittleEndian.I32, offset + 2);
        for (int j = 0; j < 16; j++) {
            int q = src.get(LittleEndian.I8, offset + 6 + j) & 0xFF;
            int lo = (q & 0x0F) | (((qh >>> j) & 1) << 4);
            int hi = (q >>> 4) | (((qh >>> (j + 16)) & 1) << 4);
            dst[at + j] = (lo - 16) * d;
            dst[at + j + 16] = (hi - 16) * d;
        }
    }
}

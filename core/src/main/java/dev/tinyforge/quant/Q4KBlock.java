package dev.tinyforge.quant;

import dev.tinyforge.tensor.Float16;
import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;

/**
 * ggml {@code block_q4_K}, 144 bytes for 256 values: {@code d}, {@code dmin} (F16), 12 bytes of 6-bit
 * scales and mins for eight 32-value sub-blocks ({@link KScales}), then 128 bytes of 4-bit quants.
 *
 * <p>Each 64 values use 32 quant bytes: low nibbles are the first 32 values (sub-block 2c), high
 * nibbles the next 32 (sub-block 2c + 1). Value = (d * scale) * q - (dmin * min).
 */
public final class Q4KBlock implements BlockDecoder {
    public static final Q4KBlock INSTANCE = new Q4KBlock();

    private Q4KBlock() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = Float16.toFloat(src.get(LittleEndian.I16, offset));
        float dmin = Float16.toFloat(src.get(LittleEndian.I16, offset + 2));
        long scales = offset + 4;
        int out = at;
        for (int chunk = 0; chunk < 4; chunk++) {
            long qs = offset + 16 + 32L * chunk;
            float d1 = d * KScales.scale(src, scales, 2 * chunk);
            float m1 = dmin * KScales.min(src, scales, 2 * chunk);
            float d2 = d * KScales.scale(src, scales, 2 * chunk + 1);
            float m2 = dmin * KScales.min(src, scales, 2 * chunk + 1);
            for (int l = 0; l < 32; l++) dst[out++] = d1 * (src.get(LittleEndian.I8, qs + l) & 0x0F) - m1;
            for (int l = 0; l < 32; l++) dst[out++] = d2 * ((src.get(LittleEndian.I8, qs + l) & 0xFF) >>> 4) - m2;
        }
    }
}

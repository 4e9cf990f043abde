package dev.tinyforge.quant;

import dev.tinyforge.tensor.Float16;
import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;

/**
 * ggml {@code block_q5_K}, 176 bytes for 256 values: {@code d}, {@code dmin} (F16), 12 bytes of
 * scales and mins ({@link KScales}), 32 bytes of fifth bits, then 128 bytes of low nibbles laid out
 * as in {@link Q4KBlock}. The fifth bit of value {@code 32*s + l} (sub-block s) is bit {@code s} of
 * {@code qh[l]}. Value = (d * scale) * q - (dmin * min).
 */
public final class Q5KBlock implements BlockDecoder {
    public static final Q5KBlock INSTANCE = new Q5KBlock();

    private Q5KBlock() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = Float16.toFloat(src.get(LittleEndian.I16, offset));
        float dmin = Float16.toFloat(src.get(LittleEndian.I16, offset + 2));
        long scales = offset + 4;
        long qh = offset + 16;
        int out = at;
        for (int chunk = 0; chunk < 4; chunk++) {
            long qs = offset + 48 + 32L * chunk;
            int lowSub = 2 * chunk;
            int highSub = 2 * chunk + 1;
            float d1 = d * KScales.scale(src, scales, lowSub);
            float m1 = dmin * KScales.min(src, scales, lowSub);
            float d2 = d * KScales.scale(src, scales, highSub);
            float m2 = dmin * KScales.min(src, scales, highSub);
            for (int l = 0; l < 32; l++) {
                int h = (src.get(LittleEndian.I8, qh + l) >>> lowSub) & 1;
                dst[out++] = d1 * ((src.get(LittleEndian.I8, qs + l) & 0x0F) + 16 * h) - m1;
            }
            for (int l = 0; l < 32; l++) {
                int h = (src.get(LittleEndian.I8, qh + l) >>> highSub) & 1;
                dst[out++] = d2 * (((src.get(LittleEndian.I8, qs + l) & 0xFF) >>> 4) + 16 * h) - m2;
            }
        }
    }
}

package dev.tinyforge.quant;

import dev.tinyforge.tensor.Float16;
import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;

/**
 * ggml {@code block_q3_K}, 110 bytes for 256 values: 32 bytes of high bits ({@code hmask}), 64 bytes
 * of 2-bit low parts, 12 bytes of sixteen 6-bit signed scales (stored +32), then {@code d} (F16).
 *
 * <p>Value {@code v} (0..255) has its high bit in bit {@code v / 32} of {@code hmask[v % 32]} and its
 * low bits laid out as in {@link Q2KBlock}. The 3-bit quant is low - (high bit set ? 0 : 4), in -4..3.
 * Scale {@code s}: low 4 bits in byte {@code s} (s < 8, low nibble) or byte {@code s - 8} (high nibble),
 * top 2 bits in bits {@code 2*(s/4)} of byte {@code 8 + s % 4}. Value = (d * (scale - 32)) * q.
 */
public final class Q3KBlock implements BlockDecoder {
    public static final Q3KBlock INSTANCE = new Q3KBlock();

    private Q3KBlock() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q3_K;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        long hmask = offset;
        long scales = offset + 96;
        float d = Float16.toFloat(src.get(LittleEndian.I16, offset + 108));
        int out = at;
        for (int half = 0; half < 2; half++) {
            long qs = offset + 32 + 32L * half;
            for (int j = 0; j < 4; j++) {
                int shift = 2 * j;
                int highBit = 1 << (4 * half + j);
                for (int sub = 0; sub < 2; sub++) {
                    float dl = d * (scale(src, scales, 8 * half + 2 * j + sub) - 32);
                    for (int l = 0; l < 16; l++) {
                        int low = ((src.get(LittleEndian.I8, qs + 16 * sub + l) & 0xFF) >>> shift) & 3;
                        boolean high = (src.get(LittleEndian.I8, hmask + 16 * sub + l) & highBit) != 0;
                        dst[out++] = dl * (low - (high ? 0 : 4));
                    }
                }
            }
        }
    }

    private static int scale(MemorySegment src, long scales, int s) {
        int low = s < 8
                ? src.get(LittleEndian.I8, scales + s) & 0x0F
                : (src.get(LittleEndian.I8, scales + s - 8) & 0xFF) >>> 4;
        int high = ((src.get(LittleEndian.I8, scales + 8 + s % 4) & 0xFF) >>> (2 * (s / 4))) & 3;
        return low | (high << 4);
    }
}

package dev.tinyforge.quant;

import dev.tinyforge.tensor.Float16;
import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;

/**
 * ggml {@code block_q2_K}, 84 bytes for 256 values: 16 scale bytes (low nibble scale, high nibble min
 * of one 16-value sub-block), 64 bytes of 2-bit quants, then {@code d} and {@code dmin} (F16).
 *
 * <p>Each half (128 values) uses 32 quant bytes; value {@code 32*j + l} of the half is bits
 * {@code 2j..2j+1} of byte {@code l}. Value = (d * scale) * q - (dmin * min).
 */
public final class Q2KBlock implements BlockDecoder {
    public static final Q2KBlock INSTANCE = new Q2KBlock();

    private Q2KBlock() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q2_K;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = Float16.toFloat(src.get(LittleEndian.I16, offset + 80));
        float dmin = Float16.toFloat(src.get(LittleEndian.I16, offset + 82));
        int out = at;
        for (int half = 0; half < 2; half++) {
            long qs = offset + 16 + 32L * half;
            for (int j = 0; j < 4; j++) {
                int shift = 2 * j;
                for (int sub = 0; sub < 2; sub++) {
                    int sc = src.get(LittleEndian.I8, offset + 8 * half + 2 * j + sub) & 0xFF;
                    float dl = d * (sc & 0x0F);
                    float ml = dmin * (sc >>> 4);
                    for (int l = 0; l < 16; l++) {
                        int q = ((src.get(LittleEndian.I8, qs + 16 * sub + l) & 0xFF) >>> shift) & 3;
                        dst[out++] = dl * q - ml;
                    }
                }
            }
        }
    }
}

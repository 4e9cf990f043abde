package dev.tinyforge.quant;

import dev.tinyforge.tensor.Float16;
import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;

/**
 * ggml {@code block_q6_K}, 210 bytes for 256 values: 128 bytes of low nibbles ({@code ql}), 64 bytes
 * of 2-bit high parts ({@code qh}), sixteen signed 8-bit scales (one per 16 values), then {@code d}.
 *
 * <p>Each half (128 values) uses 64 {@code ql} and 32 {@code qh} bytes. For l in 0..31, values l, l+32,
 * l+64, l+96 of the half take the low nibble of ql[l], low nibble of ql[l+32], high nibble of ql[l],
 * high nibble of ql[l+32], and bit pairs 0, 2, 4, 6 of qh[l] as their top two bits. The 6-bit quant
 * is stored +32. Value = (d * scale) * q.
 */
public final class Q6KBlock implements BlockDecoder {
    public static final Q6KBlock INSTANCE = new Q6KBlock();

    private Q6KBlock() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        float d = Float16.toFloat(src.get(LittleEndian.I16, offset + 208));
        for (int half = 0; half < 2; half++) {
            long ql = offset + 64L * half;
            long qh = offset + 128 + 32L * half;
            long sc = offset + 192 + 8L * half;
            int base = at + 128 * half;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int low0 = src.get(LittleEndian.I8, ql + l) & 0xFF;
                int low32 = src.get(LittleEndian.I8, ql + l + 32) & 0xFF;
                int high = src.get(LittleEndian.I8, qh + l) & 0xFF;
                int q1 = ((low0 & 0x0F) | ((high & 3) << 4)) - 32;
                int q2 = ((low32 & 0x0F) | (((high >>> 2) & 3) << 4)) - 32;
                int q3 = ((low0 >>> 4) | (((high >>> 4) & 3) << 4)) - 32;
                int q4 = ((low32 >>> 4) | (((high >>> 6) & 3) << 4)) - 32;
                dst[base + l] = d * src.get(LittleEndian.I8, sc + is) * q1;
                dst[base + l + 32] = d * src.get(LittleEndian.I8, sc + is + 2) * q2;
                dst[base + l + 64] = d * src.get(LittleEndian.I8, sc + is + 4) * q3;
                dst[base + l + 96] = d * src.get(LittleEndian.I8, sc + is + 6) * q4;
            }
        }
    }
}

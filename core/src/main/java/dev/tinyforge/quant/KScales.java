package dev.tinyforge.quant;

import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;

/**
 * The 12-byte field of Q4_K and Q5_K super-blocks that packs eight 6-bit sub-block scales and eight
 * 6-bit mins. Sub-blocks 0..3 keep scale and min in the low 6 bits of bytes j and j + 4; sub-blocks
 * 4..7 keep their low 4 bits in the nibbles of byte j + 4 and their top 2 bits in the top bits of
 * bytes j - 4 (scale) and j (min). Read from a segment when decoding, packed in a byte array when encoding.
 */
final class KScales {
    private KScales() {}

    static int scale(MemorySegment src, long scales, int j) {
        if (j < 4) return u8(src, scales + j) & 63;
        return (u8(src, scales + j + 4) & 0x0F) | ((u8(src, scales + j - 4) >>> 6) << 4);
    }

    static int min(MemorySegment src, long scales, int j) {
        if (j < 4) return u8(src, scales + j + 4) & 63;
        return (u8(src, scales + j + 4) >>> 4) | ((u8(src, scales + j) >>> 6) << 4);
    }

    /**
     * Stores scale {@code ls} and min {@code lm} (6 bits each) of sub-block {@code j} in the field at
     * {@code y[at]}, as ggml's quantizers do: sub-blocks 0..3 must be stored before 4..7, whose top
     * bits are or-ed into bytes that 0..3 wrote.
     */
    static void pack(byte[] y, int at, int j, int ls, int lm) {
        if (j < 4) {
            y[at + j] = (byte) ls;
            y[at + j + 4] = (byte) lm;
        } else {
            y[at + j + 4] = (byte) ((ls & 0xF) | ((lm & 0xF) << 4));
            y[at + j - 4] |= (byte) ((ls >>> 4) << 6);
            y[at + j] |= (byte) ((lm >>> 4) << 6);
        }
    }

    static int scale(byte[] y, int at, int j) {
        if (j < 4) return y[at + j] & 63;
        return (y[at + j + 4] & 0x0F) | (((y[at + j - 4] & 0xFF) >>> 6) << 4);
    }

    static int min(byte[] y, int at, int j) {
        if (j < 4) return y[at + j + 4] & 63;
        return ((y[at + j + 4] & 0xFF) >>> 4) | (((y[at + j] & 0xFF) >>> 6) << 4);
    }

    private static int u8(MemorySegment src, long offset) {
        return src.get(LittleEndian.I8, offset) & 0xFF;
    }
}

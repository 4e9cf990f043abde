package dev.tinyforge.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tinyforge.tensor.Float16;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Bit-layout checks: blocks are packed here from logical fields (scales, mins, integer quants) the
 * way ggml's quantizers pack them, and the decoder must give back exactly the values ggml's formula
 * computes from those fields, in float32 with ggml's order of operations.
 */
class BlockLayoutTest {

    /** A block under test: its packed bytes and the values it must decode to. */
    private record Case(GgmlType type, byte[] block, float[] expected) {}

    static Object[][] seeds() {
        Object[][] out = new Object[25][];
        for (int i = 0; i < out.length; i++) out[i] = new Object[] {1000L + i};
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomBlocksDecodeToGgmlsFormula(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Case c : new Case[] {q4_0(r), q4_1(r), q5_0(r), q5_1(r), q8_0(r), q2K(r), q3K(r), q4K(r), q5K(r), q6K(r)}) {
            assertDecodes(c);
        }
    }

    @Test
    void handWrittenBlocks() {
        // Q8_0, d = 1.0: values are the signed bytes
        byte[] q8 = new byte[34];
        q8[1] = 0x3C;
        q8[2] = -128; q8[3] = -1; q8[4] = 0; q8[5] = 1; q8[33] = 127;
        float[] e8 = new float[32];
        e8[0] = -128; e8[1] = -1; e8[3] = 1; e8[31] = 127;
        assertDecodes(new Case(GgmlType.Q8_0, q8, e8));

        // Q4_0, d = 2.0: byte 0 = 0xF0 holds value 0 (low nibble 0 -> -8) and value 16 (high nibble 15 -> 7)
        byte[] q4 = new byte[18];
        q4[1] = 0x40;
        for (int j = 0; j < 16; j++) q4[2 + j] = (byte) 0x88; // both nibbles 8 -> 0
        q4[2] = (byte) 0xF0;
        float[] e4 = new float[32];
        e4[0] = -16; e4[16] = 14;
        assertDecodes(new Case(GgmlType.Q4_0, q4, e4));

        // Q5_0, d = 1.0: all nibbles 0 with the fifth bit set only for values 0 and 31 -> 0 there, -16 elsewhere
        byte[] q5 = new byte[22];
        q5[1] = 0x3C;
        ByteBuffer.wrap(q5, 2, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(1 | (1 << 31));
        float[] e5 = new float[32];
        java.util.Arrays.fill(e5, -16);
        e5[0] = 0; e5[31] = 0;
        assertDecodes(new Case(GgmlType.Q5_0, q5, e5));

        // Q6_K, d = 1.0, all scales 1, all quants 0 -> every value -32
        byte[] q6 = new byte[210];
        for (int i = 0; i < 16; i++) q6[192 + i] = 1;
        q6[209] = 0x3C;
        float[] e6 = new float[256];
        java.util.Arrays.fill(e6, -32);
        assertDecodes(new Case(GgmlType.Q6_K, q6, e6));

        // Q4_K, d = 1.0, dmin = 0.5; sub-block 5 has scale 3 and min 2 (packed in the split 6-bit form), quants 15
        byte[] q4k = new byte[144];
        q4k[1] = 0x3C;
        q4k[3] = 0x38;
        int j = 5, ls = 3, lm = 2;
        q4k[4 + j + 4] = (byte) ((ls & 0xF) | ((lm & 0xF) << 4));
        for (int i = 16; i < 144; i++) q4k[i] = (byte) 0xFF;
        float[] e4k = new float[256];
        for (int i = 160; i < 192; i++) e4k[i] = 3 * 15 - 0.5f * 2;
        assertDecodes(new Case(GgmlType.Q4_K, q4k, e4k));
    }

    private static void assertDecodes(Case c) {
        int bs = c.type.blockSize();
        int ts = c.type.typeSize();
        // two copies back to back at an odd offset: decoding must not assume alignment
        byte[] bytes = new byte[3 + 2 * ts];
        System.arraycopy(c.block, 0, bytes, 3, ts);
        System.arraycopy(c.block, 0, bytes, 3 + ts, ts);
        float[] out = new float[1 + 2 * bs];
        Dequantizer.decode(c.type, MemorySegment.ofArray(bytes), 3, out, 1, 2 * bs);
        for (int copy = 0; copy < 2; copy++) {
            for (int i = 0; i < bs; i++) {
                assertEquals(Float.floatToRawIntBits(c.expected[i]), Float.floatToRawIntBits(out[1 + copy * bs + i]),
                        () -> c.type + " value " + "mismatch: expected " + java.util.Arrays.toString(c.expected) + " got " + java.util.Arrays.toString(out));
            }
        }
    }

    // ---- random logical fields ------------------------------------------------------------------

    /** A random finite half: normal (most of the time) or subnormal, either sign. */
    private static short half(SplittableRandom r) {
        int exponent = r.nextInt(8) == 0 ? 0 : 5 + r.nextInt(20);
        return (short) ((r.nextBoolean() ? 0x8000 : 0) | (exponent << 10) | r.nextInt(1024));
    }

    private static void putHalf(byte[] b, int at, short h) {
        b[at] = (byte) h;
        b[at + 1] = (byte) (h >> 8);
    }

    private static int[] ints(SplittableRandom r, int n, int bound) {
        int[] q = new int[n];
        for (int i = 0; i < n; i++) q[i] = r.nextInt(bound);
        return q;
    }

    private static Case q4_0(SplittableRandom r) {
        short dh = half(r);
        int[] q = ints(r, 32, 16);
        byte[] b = new byte[18];
        putHalf(b, 0, dh);
        for (int j = 0; j < 16; j++) b[2 + j] = (byte) (q[j] | q[j + 16] << 4);
        float d = Float16.toFloat(dh);
        float[] e = new float[32];
        for (int i = 0; i < 32; i++) e[i] = (q[i] - 8) * d;
        return new Case(GgmlType.Q4_0, b, e);
    }

    private static Case q4_1(SplittableRandom r) {
        short dh = half(r), mh = half(r);
        int[] q = ints(r, 32, 16);
        byte[] b = new byte[20];
        putHalf(b, 0, dh);
        putHalf(b, 2, mh);
        for (int j = 0; j < 16; j++) b[4 + j] = (byte) (q[j] | q[j + 16] << 4);
        float d = Float16.toFloat(dh), m = Float16.toFloat(mh);
        float[] e = new float[32];
        for (int i = 0; i < 32; i++) e[i] = q[i] * d + m;
        return new Case(GgmlType.Q4_1, b, e);
    }

    private static int q5Bits(byte[] b, int qs, int[] q) {
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            b[qs + j] = (byte) ((q[j] & 0xF) | (q[j + 16] & 0xF) << 4);
            qh |= (q[j] >> 4) << j;
            qh |= (q[j + 16] >> 4) << (j + 16);
        }
        return qh;
    }

    private static Case q5_0(SplittableRandom r) {
        short dh = half(r);
        int[] q = ints(r, 32, 32);
        byte[] b = new byte[22];
        putHalf(b, 0, dh);
        ByteBuffer.wrap(b, 2, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(q5Bits(b, 6, q));
        float d = Float16.toFloat(dh);
        float[] e = new float[32];
        for (int i = 0; i < 32; i++) e[i] = (q[i] - 16) * d;
        return new Case(GgmlType.Q5_0, b, e);
    }

    private static Case q5_1(SplittableRandom r) {
        short dh = half(r), mh = half(r);
        int[] q = ints(r, 32, 32);
        byte[] b = new byte[24];
        putHalf(b, 0, dh);
        putHalf(b, 2, mh);
        ByteBuffer.wrap(b, 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(q5Bits(b, 8, q));
        float d = Float16.toFloat(dh), m = Float16.toFloat(mh);
        float[] e = new float[32];
        for (int i = 0; i < 32; i++) e[i] = q[i] * d + m;
        return new Case(GgmlType.Q5_1, b, e);
    }

    private static Case q8_0(SplittableRandom r) {
        short dh = half(r);
        byte[] b = new byte[34];
        putHalf(b, 0, dh);
        float d = Float16.toFloat(dh);
        float[] e = new float[32];
        for (int i = 0; i < 32; i++) {
            int q = r.nextInt(256) - 128;
            b[2 + i] = (byte) q;
            e[i] = q * d;
        }
        return new Case(GgmlType.Q8_0, b, e);
    }

    /** 2-bit packing of Q2_K and Q3_K: four 32-value rows share each of 32 bytes, per 128 values. */
    private static void pack2(byte[] b, int qs, int[] low) {
        for (int j = 0; j < 256; j += 128) {
            for (int l = 0; l < 32; l++) {
                b[qs + j / 4 + l] = (byte) (low[j + l] | low[j + l + 32] << 2 | low[j + l + 64] << 4 | low[j + l + 96] << 6);
            }
        }
    }

    private static Case q2K(SplittableRandom r) {
        short dh = half(r), mh = half(r);
        int[] ls = ints(r, 16, 16), lm = ints(r, 16, 16), q = ints(r, 256, 4);
        byte[] b = new byte[84];
        for (int s = 0; s < 16; s++) b[s] = (byte) (ls[s] | lm[s] << 4);
        pack2(b, 16, q);
        putHalf(b, 80, dh);
        putHalf(b, 82, mh);
        float d = Float16.toFloat(dh), dmin = Float16.toFloat(mh);
        float[] e = new float[256];
        for (int i = 0; i < 256; i++) e[i] = (d * ls[i / 16]) * q[i] - (dmin * lm[i / 16]);
        return new Case(GgmlType.Q2_K, b, e);
    }

    private static Case q3K(SplittableRandom r) {
        short dh = half(r);
        int[] ls = ints(r, 16, 64), stored = ints(r, 256, 8); // stored = quant + 4
        byte[] b = new byte[110];
        for (int j = 0; j < 16; j++) {
            int l = ls[j];
            if (j < 8) b[96 + j] = (byte) (l & 0xF);
            else b[96 + j - 8] |= (byte) ((l & 0xF) << 4);
            b[96 + 8 + j % 4] |= (byte) ((l >> 4) << (2 * (j / 4)));
        }
        int[] low = new int[256];
        for (int i = 0; i < 256; i++) {
            if (stored[i] > 3) b[i % 32] |= (byte) (1 << (i / 32));
            low[i] = stored[i] & 3;
        }
        pack2(b, 32, low);
        putHalf(b, 108, dh);
        float d = Float16.toFloat(dh);
        float[] e = new float[256];
        for (int i = 0; i < 256; i++) e[i] = (d * (ls[i / 16] - 32)) * (stored[i] - 4);
        return new Case(GgmlType.Q3_K, b, e);
    }

    /** The 12-byte 6-bit scale/min packing of Q4_K and Q5_K, as ggml's quantizer writes it. */
    private static void packKScales(byte[] b, int at, int[] ls, int[] lm) {
        for (int j = 0; j < 8; j++) {
            if (j < 4) {
                b[at + j] = (byte) ls[j];
                b[at + j + 4] = (byte) lm[j];
            } else {
                b[at + j + 4] = (byte) ((ls[j] & 0xF) | ((lm[j] & 0xF) << 4));
                b[at + j - 4] |= (byte) ((ls[j] >> 4) << 6);
                b[at + j] |= (byte) ((lm[j] >> 4) << 6);
            }
        }
    }

    private static Case q4K(SplittableRandom r) {
        short dh = half(r), mh = half(r);
        int[] ls = ints(r, 8, 64), lm = ints(r, 8, 64), q = ints(r, 256, 16);
        byte[] b = new byte[144];
        putHalf(b, 0, dh);
        putHalf(b, 2, mh);
        packKScales(b, 4, ls, lm);
        for (int j = 0, at = 16; j < 256; j += 64, at += 32) {
            for (int l = 0; l < 32; l++) b[at + l] = (byte) (q[j + l] | q[j + l + 32] << 4);
        }
        float d = Float16.toFloat(dh), dmin = Float16.toFloat(mh);
        float[] e = new float[256];
        for (int i = 0; i < 256; i++) e[i] = (d * ls[i / 32]) * q[i] - (dmin * lm[i / 32]);
        return new Case(GgmlType.Q4_K, b, e);
    }

    private static Case q5K(SplittableRandom r) {
        short dh = half(r), mh = half(r);
        int[] ls = ints(r, 8, 64), lm = ints(r, 8, 64), q = ints(r, 256, 32);
        byte[] b = new byte[176];
        putHalf(b, 0, dh);
        putHalf(b, 2, mh);
        packKScales(b, 4, ls, lm);
        int m1 = 1, m2 = 2;
        for (int n = 0, ql = 48; n < 256; n += 64, ql += 32) {
            for (int j = 0; j < 32; j++) {
                int l1 = q[n + j], l2 = q[n + j + 32];
                if (l1 > 15) { l1 -= 16; b[16 + j] |= (byte) m1; }
                if (l2 > 15) { l2 -= 16; b[16 + j] |= (byte) m2; }
                b[ql + j] = (byte) (l1 | l2 << 4);
            }
            m1 <<= 2;
            m2 <<= 2;
        }
        float d = Float16.toFloat(dh), dmin = Float16.toFloat(mh);
        float[] e = new float[256];
        for (int i = 0; i < 256; i++) e[i] = (d * ls[i / 32]) * q[i] - (dmin * lm[i / 32]);
        return new Case(GgmlType.Q5_K, b, e);
    }

    private static Case q6K(SplittableRandom r) {
        short dh = half(r);
        int[] q = ints(r, 256, 64); // stored = quant + 32
        byte[] b = new byte[210];
        int[] sc = new int[16];
        for (int s = 0; s < 16; s++) {
            sc[s] = r.nextInt(256) - 128;
            b[192 + s] = (byte) sc[s];
        }
        for (int j = 0, ql = 0, qh = 128; j < 256; j += 128, ql += 64, qh += 32) {
            for (int l = 0; l < 32; l++) {
                int q1 = q[j + l] & 0xF, q2 = q[j + l + 32] & 0xF, q3 = q[j + l + 64] & 0xF, q4 = q[j + l + 96] & 0xF;
                b[ql + l] = (byte) (q1 | q3 << 4);
                b[ql + l + 32] = (byte) (q2 | q4 << 4);
                b[qh + l] = (byte) ((q[j + l] >> 4) | (q[j + l + 32] >> 4) << 2 | (q[j + l + 64] >> 4) << 4 | (q[j + l + 96] >> 4) << 6);
            }
        }
        putHalf(b, 208, dh);
        float d = Float16.toFloat(dh);
        float[] e = new float[256];
        for (int i = 0; i < 256; i++) e[i] = (d * sc[i / 16]) * (q[i] - 32);
        return new Case(GgmlType.Q6_K, b, e);
    }
}

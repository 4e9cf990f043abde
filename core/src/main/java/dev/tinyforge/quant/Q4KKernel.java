package dev.tinyforge.quant;

import static dev.tinyforge.quant.Lanes.L;
import static dev.tinyforge.quant.Lanes.f16;
import static dev.tinyforge.quant.Lanes.splat;
import static dev.tinyforge.quant.Lanes.toFloat;
import static dev.tinyforge.quant.Lanes.u8;
import static dev.tinyforge.quant.Lanes.x;

import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link DotKernel} for Q4_K ({@link Q4KBlock}): per 64 values, 32 bytes whose low nibbles are one
 * 32-value sub-block and high nibbles the next; value = d·scale·q − dmin·min. Each sub-block's
 * Σ q·x is scaled once, and its min multiplies the sub-block's activation sum.
 */
final class Q4KKernel implements DotKernel {
    static final Q4KKernel INSTANCE = new Q4KKernel();
    private static final int BYTES = 144;

    private Q4KKernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    @Override
    public int preparedLength(int cols) {
        return Activations.lengthWithSums(cols, 32);
    }

    @Override
    public void prepare(float[] x, int xOff, int cols, float[] act, int actOff) {
        Activations.copyWithSums(x, xOff, cols, 32, act, actOff);
    }

    @Override
    public float dot(MemorySegment w, long off, float[] act, int actOff, int cols, float[] scratch) {
        // Four accumulators (even/odd 64-value chunk × low/high nibble) keep the chunks independent.
        FloatVector acc0 = FloatVector.zero(Lanes.F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        float mins = 0;
        int sums = actOff + cols;
        for (int sb = 0; sb < cols / 256; sb++, off += BYTES) {
            float d = f16(w, off), dmin = f16(w, off + 2);
            long s0 = w.get(LittleEndian.I64, off + 4);
            int s1 = w.get(LittleEndian.I32, off + 12);
            int a = actOff + 256 * sb, s = sums + 8 * sb;
            for (int c = 0; c < 4; c += 2) {
                long q0 = off + 16 + 32 * c, q1 = q0 + 32;
                acc0 = low(w, q0, act, a + 64 * c).fma(splat(d * scale(s0, s1, 2 * c)), acc0);
                acc1 = high(w, q0, act, a + 64 * c + 32).fma(splat(d * scale(s0, s1, 2 * c + 1)), acc1);
                acc2 = low(w, q1, act, a + 64 * c + 64).fma(splat(d * scale(s0, s1, 2 * c + 2)), acc2);
                acc3 = high(w, q1, act, a + 64 * c + 96).fma(splat(d * scale(s0, s1, 2 * c + 3)), acc3);
            }
            float m = 0;
            for (int j = 0; j < 8; j++) m += min(s0, s1, j) * act[s + j];
            mins += dmin * m;
        }
        return acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD) - mins;
    }

    /** Σ (low nibble)·x over the 32 bytes at {@code qs}. */
    private static FloatVector low(MemorySegment w, long qs, float[] act, int a) {
        FloatVector t = toFloat(u8(w, qs).and(0x0F)).mul(x(act, a));
        for (int j = L; j < 32; j += L) t = toFloat(u8(w, qs + j).and(0x0F)).fma(x(act, a + j), t);
        return t;
    }

    private static FloatVector high(MemorySegment w, long qs, float[] act, int a) {
        FloatVector t = toFloat(u8(w, qs).lanewise(VectorOperators.LSHR, 4)).mul(x(act, a));
        for (int j = L; j < 32; j += L) t = toFloat(u8(w, qs + j).lanewise(VectorOperators.LSHR, 4)).fma(x(act, a + j), t);
        return t;
    }

    /**
     * Sub-block {@code j}'s 6-bit scale from the 12 packed bytes read as a long (bytes 0..7) and an int
     * (bytes 8..11); the layout is {@link KScales}'s.
     */
    static int scale(long s0, int s1, int j) {
        if (j < 4) return (int) (s0 >>> (8 * j)) & 63;
        int k = j - 4;
        return ((s1 >>> (8 * k)) & 0x0F) | ((int) (s0 >>> (8 * k + 6)) & 3) << 4;
    }

    static int min(long s0, int s1, int j) {
        if (j < 4) return (int) (s0 >>> (8 * j + 32)) & 63;
        int k = j - 4;
        return ((s1 >>> (8 * k + 4)) & 0x0F) | ((int) (s0 >>> (8 * k + 38)) & 3) << 4;
    }

    @Override
    public void decode(MemorySegment w, long off, float[] dst, int dstOff, int cols) {
        for (int sb = 0; sb < cols / 256; sb++, off += BYTES) {
            float d = f16(w, off), dmin = f16(w, off + 2);
            long s0 = w.get(LittleEndian.I64, off + 4);
            int s1 = w.get(LittleEndian.I32, off + 12);
            for (int c = 0; c < 4; c++) {
                FloatVector dLo = splat(d * scale(s0, s1, 2 * c)), mLo = splat(-dmin * min(s0, s1, 2 * c));
                FloatVector dHi = splat(d * scale(s0, s1, 2 * c + 1)), mHi = splat(-dmin * min(s0, s1, 2 * c + 1));
                int at = dstOff + 256 * sb + 64 * c;
                for (int j = 0; j < 32; j += L) {
                    IntVector q = u8(w, off + 16 + 32 * c + j);
                    toFloat(q.and(0x0F)).fma(dLo, mLo).intoArray(dst, at + j);
                    toFloat(q.lanewise(VectorOperators.LSHR, 4)).fma(dHi, mHi).intoArray(dst, at + 32 + j);
                }
            }
        }
    }
}

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
 * {@link DotKernel} for Q5_K ({@link Q5KBlock}): Q4_K's nibbles and scales plus 32 bytes of fifth
 * bits, bit s of byte l belonging to value l of sub-block s.
 */
final class Q5KKernel implements DotKernel {
    static final Q5KKernel INSTANCE = new Q5KKernel();
    private static final int BYTES = 176;

    private Q5KKernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
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
        FloatVector acc0 = FloatVector.zero(Lanes.F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        float mins = 0;
        int sums = actOff + cols;
        for (int sb = 0; sb < cols / 256; sb++, off += BYTES) {
            float d = f16(w, off), dmin = f16(w, off + 2);
            long s0 = w.get(LittleEndian.I64, off + 4);
            int s1 = w.get(LittleEndian.I32, off + 12);
            int a = actOff + 256 * sb, s = sums + 8 * sb;
            for (int c = 0; c < 4; c += 2) {
                acc0 = low(w, off, c, act, a + 64 * c).fma(splat(d * Q4KKernel.scale(s0, s1, 2 * c)), acc0);
                acc1 = high(w, off, c, act, a + 64 * c + 32).fma(splat(d * Q4KKernel.scale(s0, s1, 2 * c + 1)), acc1);
                acc2 = low(w, off, c + 1, act, a + 64 * c + 64).fma(splat(d * Q4KKernel.scale(s0, s1, 2 * c + 2)), acc2);
                acc3 = high(w, off, c + 1, act, a + 64 * c + 96).fma(splat(d * Q4KKernel.scale(s0, s1, 2 * c + 3)), acc3);
            }
            float m = 0;
            for (int j = 0; j < 8; j++) m += Q4KKernel.min(s0, s1, j) * act[s + j];
            mins += dmin * m;
        }
        return acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD) - mins;
    }

    /** Σ q·x over sub-block 2c (low nibbles of chunk c). */
    private static FloatVector low(MemorySegment w, long off, int c, float[] act, int a) {
        long qh = off + 16, qs = off + 48 + 32 * c;
        FloatVector t = toFloat(u8(w, qs).and(0x0F).or(fifth(u8(w, qh), 2 * c))).mul(x(act, a));
        for (int j = L; j < 32; j += L) {
            t = toFloat(u8(w, qs + j).and(0x0F).or(fifth(u8(w, qh + j), 2 * c))).fma(x(act, a + j), t);
        }
        return t;
    }

    /** Σ q·x over sub-block 2c + 1 (high nibbles of chunk c). */
    private static FloatVector high(MemorySegment w, long off, int c, float[] act, int a) {
        long qh = off + 16, qs = off + 48 + 32 * c;
        FloatVector t = toFloat(u8(w, qs).lanewise(VectorOperators.LSHR, 4).or(fifth(u8(w, qh), 2 * c + 1))).mul(x(act, a));
        for (int j = L; j < 32; j += L) {
            t = toFloat(u8(w, qs + j).lanewise(VectorOperators.LSHR, 4).or(fifth(u8(w, qh + j), 2 * c + 1))).fma(x(act, a + j), t);
        }
        return t;
    }

    /** Bit {@code s} of each lane as 0 or 16. */
    private static IntVector fifth(IntVector qh, int s) {
        IntVector moved = s <= 4 ? qh.lanewise(VectorOperators.LSHL, 4 - s) : qh.lanewise(VectorOperators.LSHR, s - 4);
        return moved.and(16);
    }

    @Override
    public void decode(MemorySegment w, long off, float[] dst, int dstOff, int cols) {
        for (int sb = 0; sb < cols / 256; sb++, off += BYTES) {
            float d = f16(w, off), dmin = f16(w, off + 2);
            long s0 = w.get(LittleEndian.I64, off + 4);
            int s1 = w.get(LittleEndian.I32, off + 12);
            for (int c = 0; c < 4; c++) {
                FloatVector dLo = splat(d * Q4KKernel.scale(s0, s1, 2 * c)), mLo = splat(-dmin * Q4KKernel.min(s0, s1, 2 * c));
                FloatVector dHi = splat(d * Q4KKernel.scale(s0, s1, 2 * c + 1)), mHi = splat(-dmin * Q4KKernel.min(s0, s1, 2 * c + 1));
                int at = dstOff + 256 * sb + 64 * c;
                for (int j = 0; j < 32; j += L) {
                    IntVector q = u8(w, off + 48 + 32 * c + j), h = u8(w, off + 16 + j);
                    toFloat(q.and(0x0F).or(fifth(h, 2 * c))).fma(dLo, mLo).intoArray(dst, at + j);
                    toFloat(q.lanewise(VectorOperators.LSHR, 4).or(fifth(h, 2 * c + 1))).fma(dHi, mHi).intoArray(dst, at + 32 + j);
                }
            }
        }
    }
}

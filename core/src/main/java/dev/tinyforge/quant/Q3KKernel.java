package dev.tinyforge.quant;

import static dev.tinyforge.quant.Lanes.L;
import static dev.tinyforge.quant.Lanes.f16;
import static dev.tinyforge.quant.Lanes.splat;
import static dev.tinyforge.quant.Lanes.toFloat;
import static dev.tinyforge.quant.Lanes.u8;
import static dev.tinyforge.quant.Lanes.u8At;
import static dev.tinyforge.quant.Lanes.x;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link DotKernel} for Q3_K ({@link Q3KBlock}): Q2_K's bit pairs plus a high bit from {@code hmask};
 * the quant is (low | high << 2) − 4 and the scale a 6-bit signed value, value = d·(scale − 32)·q.
 * The −4 multiplies each 16-value group's activation sum.
 */
final class Q3KKernel implements DotKernel {
    static final Q3KKernel INSTANCE = new Q3KKernel();
    private static final int BYTES = 110;

    private Q3KKernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q3_K;
    }

    @Override
    public int preparedLength(int cols) {
        return Activations.lengthWithSums(cols, 16);
    }

    @Override
    public void prepare(float[] x, int xOff, int cols, float[] act, int actOff) {
        Activations.copyWithSums(x, xOff, cols, 16, act, actOff);
    }

    @Override
    public float dot(MemorySegment w, long off, float[] act, int actOff, int cols, float[] scratch) {
        FloatVector acc0 = FloatVector.zero(Lanes.F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        float offsets = 0;
        int sums = actOff + cols;
        for (int sb = 0; sb < cols / 256; sb++, off += BYTES) {
            float d = f16(w, off + 108);
            float o = 0;
            for (int h = 0; h < 2; h++) {
                for (int sub = 0; sub < 2; sub++) {
                    long qs = off + 32 + 32 * h + 16 * sub, hm = off + 16 * sub;
                    int a = actOff + 256 * sb + 128 * h + 16 * sub;
                    FloatVector t0 = FloatVector.zero(Lanes.F), t1 = t0, t2 = t0, t3 = t0;
                    for (int l = 0; l < 16; l += L) {
                        IntVector q = u8(w, qs + l), high = u8(w, hm + l);
                        t0 = toFloat(quant(q, high, h, 0)).fma(x(act, a + l), t0);
                        t1 = toFloat(quant(q, high, h, 1)).fma(x(act, a + 32 + l), t1);
                        t2 = toFloat(quant(q, high, h, 2)).fma(x(act, a + 64 + l), t2);
                        t3 = toFloat(quant(q, high, h, 3)).fma(x(act, a + 96 + l), t3);
                    }
                    int s = 8 * h + sub;
                    int c0 = scale(w, off + 96, s) - 32, c1 = scale(w, off + 96, s + 2) - 32;
                    int c2 = scale(w, off + 96, s + 4) - 32, c3 = scale(w, off + 96, s + 6) - 32;
                    acc0 = t0.fma(splat(d * c0), acc0);
                    acc1 = t1.fma(splat(d * c1), acc1);
                    acc2 = t2.fma(splat(d * c2), acc2);
                    acc3 = t3.fma(splat(d * c3), acc3);
                    int group = sums + 16 * sb + s;
                    o += c0 * act[group] + c1 * act[group + 2] + c2 * act[group + 4] + c3 * act[group + 6];
                }
            }
            offsets += d * o;
        }
        return acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD) - 4 * offsets;
    }

    /** The 3-bit quant + 4 (0..7) of bit pair j with its high bit, bit 4h + j of the hmask byte. */
    private static IntVector quant(IntVector q, IntVector high, int h, int j) {
        int bit = 4 * h + j;
        IntVector top = bit >= 2 ? high.lanewise(VectorOperators.LSHR, bit - 2) : high.lanewise(VectorOperators.LSHL, 2 - bit);
        IntVector low = j == 0 ? q : q.lanewise(VectorOperators.LSHR, 2 * j);
        return low.and(3).or(top.and(4));
    }

    /** The 6-bit scale {@code s} (stored + 32) of the 12 bytes at {@code scales}; layout in {@link Q3KBlock}. */
    private static int scale(MemorySegment w, long scales, int s) {
        int low = s < 8 ? u8At(w, scales + s) & 0x0F : u8At(w, scales + s - 8) >>> 4;
        int high = (u8At(w, scales + 8 + s % 4) >>> (2 * (s / 4))) & 3;
        return low | high << 4;
    }

    @Override
    public void decode(MemorySegment w, long off, float[] dst, int dstOff, int cols) {
        for (int sb = 0; sb < cols / 256; sb++, off += BYTES) {
            float d = f16(w, off + 108);
            for (int h = 0; h < 2; h++) {
                for (int sub = 0; sub < 2; sub++) {
                    for (int j = 0; j < 4; j++) {
                        float dl = d * (scale(w, off + 96, 8 * h + 2 * j + sub) - 32);
                        int at = dstOff + 256 * sb + 128 * h + 32 * j + 16 * sub;
                        for (int l = 0; l < 16; l += L) {
                            IntVector q = quant(u8(w, off + 32 + 32 * h + 16 * sub + l), u8(w, off + 16 * sub + l), h, j);
                            toFloat(q.sub(4)).mul(dl).intoArray(dst, at + l);
                        }
                    }
                }
            }
        }
    }
}

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

    /*
     * Two passes over the row, each returning a float: bit pairs 0 and 1 of every quant byte, then 2
     * and 3 (see Q6KKernel.dot: one pass was past C2's inlining budget and boxed its vectors).
     */
    @Override
    public float dot(MemorySegment w, long off, float[] act, int actOff, int cols, float[] scratch) {
        return pairs(w, off, act, actOff, cols, 0) + pairs(w, off, act, actOff, cols, 2);
    }

    /** Σ q·x·d·scale over bit pairs {@code j} and {@code j + 1} of every quant byte. */
    private static float pairs(MemorySegment w, long off, float[] act, int actOff, int cols, int j) {
        FloatVector acc0 = FloatVector.zero(Lanes.F), acc1 = acc0;
        float offsets = 0;
        for (int k = 0; k < cols / 64; k++) {
            long sb = off + (long) (k >>> 2) * BYTES;
            int h = (k >>> 1) & 1, sub = k & 1;
            long qs = sb + 32 + 32 * h + 16 * sub, hm = sb + 16 * sub;
            int a = actOff + 128 * (k >>> 1) + 32 * j + 16 * sub;
            FloatVector t0 = FloatVector.zero(Lanes.F), t1 = t0;
            for (int l = 0; l < 16; l += L) {
                IntVector q = u8(w, qs + l).lanewise(VectorOperators.LSHR, 2 * j);
                // High bits 4h + j and 4h + j + 1 of the hmask bytes, moved to bits 2 and 3.
                IntVector high = u8(w, hm + l).lanewise(VectorOperators.LSHR, 4 * h + j).lanewise(VectorOperators.LSHL, 2);
                t0 = toFloat(q.and(3).or(high.and(4))).fma(x(act, a + l), t0);
                t1 = toFloat(q.lanewise(VectorOperators.LSHR, 2).and(3).or(high.lanewise(VectorOperators.LSHR, 1).and(4)))
                        .fma(x(act, a + 32 + l), t1);
            }
            float d = f16(w, sb + 108);
            // Scale s belongs to values 16s .. 16s + 15 of the super-block; the +4 in t0, t1 goes with the group sums.
            int s = 8 * h + 2 * j + sub, group = actOff + cols + 16 * (k >>> 2) + s;
            float d0 = d * (scale(w, sb + 96, s) - 32), d1 = d * (scale(w, sb + 96, s + 2) - 32);
            acc0 = t0.fma(splat(d0), acc0);
            acc1 = t1.fma(splat(d1), acc1);
            offsets += d0 * act[group] + d1 * act[group + 2];
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD) - 4 * offsets;
    }

    /** The 6-bit scale {@code s} (stored + 32) of the 12 bytes at {@code scales}; layout in {@link Q3KBlock}. */
    private static int scale(MemorySegment w, long scales, int s) {
        int low = s < 8 ? u8At(w, scales + s) & 0x0F : u8At(w, scales + s - 8) >>> 4;
        int high = (u8At(w, scales + 8 + s % 4) >>> (2 * (s / 4))) & 3;
        return low | high << 4;
    }

    /** Two passes as in {@link #dot}: bit pairs 0 and 1, then 2 and 3. */
    @Override
    public void dotRows(MemorySegment w, long rowBytes, int cols, int from, int to, float[] act, int prepared, int batch,
                        float[] out, int outStride, float[] scratch) {
        for (int r = from; r < to; r++) {
            for (int t = 0; t < batch; t++) out[t * outStride + r] = dot(w, r * rowBytes, act, t * prepared, cols, scratch);
        }
    }

    @Override
    public void decodeRows(MemorySegment w, long rowBytes, int cols, int from, int count, float[] dst, int dstOff) {
        for (int i = 0; i < count; i++) decode(w, (from + i) * rowBytes, dst, dstOff + i * cols, cols);
    }

    @Override
    public void decode(MemorySegment w, long off, float[] dst, int dstOff, int cols) {
        decodePairs(w, off, dst, dstOff, cols, 0);
        decodePairs(w, off, dst, dstOff, cols, 2);
    }

    private static void decodePairs(MemorySegment w, long off, float[] dst, int dstOff, int cols, int j) {
        for (int k = 0; k < cols / 64; k++) {
            long sb = off + (long) (k >>> 2) * BYTES;
            int h = (k >>> 1) & 1, sub = k & 1;
            long qs = sb + 32 + 32 * h + 16 * sub, hm = sb + 16 * sub;
            int at = dstOff + 128 * (k >>> 1) + 32 * j + 16 * sub;
            float d = f16(w, sb + 108);
            int s = 8 * h + 2 * j + sub;
            float d0 = d * (scale(w, sb + 96, s) - 32), d1 = d * (scale(w, sb + 96, s + 2) - 32);
            for (int l = 0; l < 16; l += L) {
                IntVector q = u8(w, qs + l).lanewise(VectorOperators.LSHR, 2 * j);
                IntVector high = u8(w, hm + l).lanewise(VectorOperators.LSHR, 4 * h + j).lanewise(VectorOperators.LSHL, 2);
                toFloat(q.and(3).or(high.and(4)).sub(4)).mul(d0).intoArray(dst, at + l);
                toFloat(q.lanewise(VectorOperators.LSHR, 2).and(3).or(high.lanewise(VectorOperators.LSHR, 1).and(4)).sub(4))
                        .mul(d1).intoArray(dst, at + 32 + l);
            }
        }
    }
}

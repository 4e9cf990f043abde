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
 * {@link DotKernel} for Q2_K ({@link Q2KBlock}): each quant byte feeds four 16-value groups (bit pairs
 * 0..3), each group has a 4-bit scale and a 4-bit min; value = d·scale·q − dmin·min.
 */
final class Q2KKernel implements DotKernel {
    static final Q2KKernel INSTANCE = new Q2KKernel();
    private static final int BYTES = 84;

    private Q2KKernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q2_K;
    }

    @Override
    public int preparedLength(int cols) {
        return Activations.lengthWithSums(cols, 16);
    }

    @Override
    public void prepare(float[] x, int xOff, int cols, float[] act, int actOff) {
        Activations.copyWithSums(x, xOff, cols, 16, act, actOff);
    }

    /** One loop iteration per 16 quant bytes (64 values, four 16-value groups), as in {@link Q4KKernel#dot}. */
    @Override
    public float dot(MemorySegment w, long off, float[] act, int actOff, int cols, float[] scratch) {
        FloatVector acc0 = FloatVector.zero(Lanes.F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        float mins = 0;
        int sums = actOff + cols;
        for (int k = 0; k < cols / 64; k++) {
            long sb = off + (long) (k >>> 2) * BYTES;
            int h = (k >>> 1) & 1, sub = k & 1;
            long qs = sb + 16 + 32 * h + 16 * sub;
            int a = actOff + 128 * (k >>> 1) + 16 * sub;
            FloatVector t0 = FloatVector.zero(Lanes.F), t1 = t0, t2 = t0, t3 = t0;
            for (int l = 0; l < 16; l += L) {
                IntVector q = u8(w, qs + l);
                t0 = toFloat(q.and(3)).fma(x(act, a + l), t0);
                t1 = toFloat(q.lanewise(VectorOperators.LSHR, 2).and(3)).fma(x(act, a + 32 + l), t1);
                t2 = toFloat(q.lanewise(VectorOperators.LSHR, 4).and(3)).fma(x(act, a + 64 + l), t2);
                t3 = toFloat(q.lanewise(VectorOperators.LSHR, 6)).fma(x(act, a + 96 + l), t3);
            }
            // The group of values 128h + 32j + 16sub has scale byte 8h + 2j + sub.
            float d = f16(w, sb + 80), dmin = f16(w, sb + 82);
            long sc = sb + 8 * h + sub;
            int c0 = u8At(w, sc), c1 = u8At(w, sc + 2), c2 = u8At(w, sc + 4), c3 = u8At(w, sc + 6);
            acc0 = t0.fma(splat(d * (c0 & 0x0F)), acc0);
            acc1 = t1.fma(splat(d * (c1 & 0x0F)), acc1);
            acc2 = t2.fma(splat(d * (c2 & 0x0F)), acc2);
            acc3 = t3.fma(splat(d * (c3 & 0x0F)), acc3);
            int group = sums + 8 * (k >>> 1) + sub;
            mins += dmin * ((c0 >>> 4) * act[group] + (c1 >>> 4) * act[group + 2] + (c2 >>> 4) * act[group + 4]
                    + (c3 >>> 4) * act[group + 6]);
        }
        return acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD) - mins;
    }

    /** Loops shaped as in {@link #dot}: each 16 quant bytes give four 16-value groups. */
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
        for (int k = 0; k < cols / 64; k++) {
            long sb = off + (long) (k >>> 2) * BYTES;
            int h = (k >>> 1) & 1, sub = k & 1;
            long qs = sb + 16 + 32 * h + 16 * sub, sc = sb + 8 * h + sub;
            int at = dstOff + 128 * (k >>> 1) + 16 * sub;
            float d = f16(w, sb + 80), dmin = f16(w, sb + 82);
            int c0 = u8At(w, sc), c1 = u8At(w, sc + 2), c2 = u8At(w, sc + 4), c3 = u8At(w, sc + 6);
            // d·scale·q − dmin·min in one rounding (ggml rounds the product first: within an ulp).
            FloatVector d0 = splat(d * (c0 & 0x0F)), m0 = splat(-(dmin * (c0 >>> 4)));
            FloatVector d1 = splat(d * (c1 & 0x0F)), m1 = splat(-(dmin * (c1 >>> 4)));
            FloatVector d2 = splat(d * (c2 & 0x0F)), m2 = splat(-(dmin * (c2 >>> 4)));
            FloatVector d3 = splat(d * (c3 & 0x0F)), m3 = splat(-(dmin * (c3 >>> 4)));
            for (int l = 0; l < 16; l += L) {
                IntVector q = u8(w, qs + l);
                toFloat(q.and(3)).fma(d0, m0).intoArray(dst, at + l);
                toFloat(q.lanewise(VectorOperators.LSHR, 2).and(3)).fma(d1, m1).intoArray(dst, at + 32 + l);
                toFloat(q.lanewise(VectorOperators.LSHR, 4).and(3)).fma(d2, m2).intoArray(dst, at + 64 + l);
                toFloat(q.lanewise(VectorOperators.LSHR, 6)).fma(d3, m3).intoArray(dst, at + 96 + l);
            }
        }
    }
}

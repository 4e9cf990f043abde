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
 * {@link DotKernel} for Q6_K ({@link Q6KBlock}): per 128 values, 64 bytes of low nibbles and 32 of
 * 2-bit high parts feed four values each; sixteen signed 8-bit scales, one per 16 values; value =
 * d·scale·(q − 32). The −32 multiplies each 16-value group's activation sum.
 */
final class Q6KKernel implements DotKernel {
    static final Q6KKernel INSTANCE = new Q6KKernel();
    private static final int BYTES = 210;

    private Q6KKernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
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
     * Two passes over the row, each returning a float: quarters 0 and 1 of every half (low nibbles),
     * then 2 and 3 (high nibbles). One pass doing all four held ~40 Vector API operations, past what C2
     * inlines into one compilation (NodeCountInliningCutoff), and its vectors were boxed (15× slower).
     * The second pass re-reads the row's bytes from L1, not from memory.
     */
    @Override
    public float dot(MemorySegment w, long off, float[] act, int actOff, int cols, float[] scratch) {
        float sum = 0;
        int piece = SCRATCH / 16 * 256;
        for (int done = 0; done < cols; done += piece) {
            int n = Math.min(piece, cols - done);
            long o = off + (long) (done / 256) * BYTES;
            // The scalars first (each group's d·scale into scratch, the −32 of q against the group sums),
            // then the vector passes over flat loops.
            float offsets = 0;
            for (int sb = 0; sb < n / 256; sb++) {
                long block = o + (long) sb * BYTES;
                float d = f16(w, block + 208), g = 0;
                for (int i = 0; i < 16; i++) {
                    // Scale i belongs to values 16i .. 16i + 15 of the super-block.
                    float s = d * w.get(LittleEndian.I8, block + 192 + i);
                    scratch[16 * sb + i] = s;
                    g += s * act[actOff + cols + (done + 256 * sb) / 16 + i];
                }
                offsets += g;
            }
            sum += lowQuarters(w, o, act, actOff + done, n, scratch) + highQuarters(w, o, act, actOff + done, n, scratch) - 32 * offsets;
        }
        return sum;
    }

    /** Σ q·x·scale over quarters 0 and 1 of every half: low nibbles with bit pairs 0 and 1 of qh. */
    private static float lowQuarters(MemorySegment w, long off, float[] act, int a0, int cols, float[] scales) {
        FloatVector acc0 = FloatVector.zero(Lanes.F), acc1 = acc0;
        for (int k = 0; k < cols / 64; k++) {
            long sb = off + (long) (k >>> 2) * BYTES;
            int h = (k >>> 1) & 1, g = k & 1;
            long ql = sb + 64 * h + 16 * g, qh = sb + 128 + 32 * h + 16 * g;
            int a = a0 + 128 * (k >>> 1) + 16 * g; // values 16g.. of the quarters of half h
            FloatVector t0 = FloatVector.zero(Lanes.F), t1 = t0;
            for (int l = 0; l < 16; l += L) {
                IntVector top = u8(w, qh + l);
                t0 = toFloat(u8(w, ql + l).and(0x0F).or(top.and(3).lanewise(VectorOperators.LSHL, 4))).fma(x(act, a + l), t0);
                t1 = toFloat(u8(w, ql + 32 + l).and(0x0F).or(top.and(12).lanewise(VectorOperators.LSHL, 2))).fma(x(act, a + 32 + l), t1);
            }
            int s = 8 * (k >>> 1) + g; // the group of values 16g.. of quarter 0 of this half
            acc0 = t0.fma(splat(scales[s]), acc0);
            acc1 = t1.fma(splat(scales[s + 2]), acc1);
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    /** Σ q·x·scale over quarters 2 and 3 of every half: high nibbles with bit pairs 2 and 3 of qh. */
    private static float highQuarters(MemorySegment w, long off, float[] act, int a0, int cols, float[] scales) {
        FloatVector acc2 = FloatVector.zero(Lanes.F), acc3 = acc2;
        for (int k = 0; k < cols / 64; k++) {
            long sb = off + (long) (k >>> 2) * BYTES;
            int h = (k >>> 1) & 1, g = k & 1;
            long ql = sb + 64 * h + 16 * g, qh = sb + 128 + 32 * h + 16 * g;
            int a = a0 + 128 * (k >>> 1) + 16 * g;
            FloatVector t2 = FloatVector.zero(Lanes.F), t3 = t2;
            for (int l = 0; l < 16; l += L) {
                IntVector top = u8(w, qh + l);
                t2 = toFloat(u8(w, ql + l).lanewise(VectorOperators.LSHR, 4).or(top.and(48))).fma(x(act, a + 64 + l), t2);
                t3 = toFloat(u8(w, ql + 32 + l).lanewise(VectorOperators.LSHR, 4).or(top.lanewise(VectorOperators.LSHR, 2).and(48)))
                        .fma(x(act, a + 96 + l), t3);
            }
            int s = 8 * (k >>> 1) + g + 4;
            acc2 = t2.fma(splat(scales[s]), acc2);
            acc3 = t3.fma(splat(scales[s + 2]), acc3);
        }
        return acc2.add(acc3).reduceLanes(VectorOperators.ADD);
    }

    /** Two passes as in {@link #dot}: quarters 0 and 1 of every half, then 2 and 3. */
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
        decodeQuarters(w, off, dst, dstOff, cols, false);
        decodeQuarters(w, off, dst, dstOff, cols, true);
    }

    private static void decodeQuarters(MemorySegment w, long off, float[] dst, int dstOff, int cols, boolean high) {
        for (int k = 0; k < cols / 64; k++) {
            long sb = off + (long) (k >>> 2) * BYTES;
            int h = (k >>> 1) & 1, g = k & 1;
            long ql = sb + 64 * h + 16 * g, qh = sb + 128 + 32 * h + 16 * g, sc = sb + 192 + 8 * h + g + (high ? 4 : 0);
            int at = dstOff + 128 * (k >>> 1) + 16 * g + (high ? 64 : 0);
            // (d·scale)·(q − 32), as ggml rounds it.
            float d = f16(w, sb + 208), d0 = d * w.get(LittleEndian.I8, sc), d1 = d * w.get(LittleEndian.I8, sc + 2);
            for (int l = 0; l < 16; l += L) {
                IntVector top = u8(w, qh + l), a = u8(w, ql + l), b = u8(w, ql + 32 + l);
                IntVector q0 = high ? a.lanewise(VectorOperators.LSHR, 4).or(top.and(48))
                        : a.and(0x0F).or(top.and(3).lanewise(VectorOperators.LSHL, 4));
                IntVector q1 = high ? b.lanewise(VectorOperators.LSHR, 4).or(top.lanewise(VectorOperators.LSHR, 2).and(48))
                        : b.and(0x0F).or(top.and(12).lanewise(VectorOperators.LSHL, 2));
                toFloat(q0.sub(32)).mul(d0).intoArray(dst, at + l);
                toFloat(q1.sub(32)).mul(d1).intoArray(dst, at + 32 + l);
            }
        }
    }
}

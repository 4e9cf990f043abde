package dev.tinyforge.quant;

import static dev.tinyforge.quant.Lanes.L;
import static dev.tinyforge.quant.Q4KKernel.at;
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

    /** Two phases per piece, as in {@link Q4KKernel#dot}. */
    @Override
    public float dot(MemorySegment w, long off, float[] act, int actOff, int cols, float[] scratch) {
        float sum = 0;
        int piece = KSubBlockScales.MAX_SUPER_BLOCKS * 256;
        for (int done = 0; done < cols; done += piece) {
            int n = Math.min(piece, cols - done);
            sum += dotPiece(w, off + (long) (done / 256) * BYTES, act, actOff + done, actOff + cols + done / 32, n, scratch);
        }
        return sum;
    }

    private static float dotPiece(MemorySegment w, long off, float[] act, int a, int sums, int cols, float[] scales) {
        float mins = KSubBlockScales.convert(w, off, cols / 256, BYTES, act, sums, scales);
        FloatVector accLo = FloatVector.zero(Lanes.F), accHi = accLo;
        for (int k = 0; k < cols / 64; k++) {
            long block = off + (long) (k >>> 2) * BYTES, qs = block + 48 + 32 * (k & 3), qh = block + 16;
            int c = k & 3, x = a + 64 * k;
            FloatVector lo = FloatVector.zero(Lanes.F), hi = lo;
            for (int j = 0; j < 32; j += L) {
                IntVector q = u8(w, qs + j), h = u8(w, qh + j);
                lo = toFloat(q.and(0x0F).or(fifth(h, 2 * c))).fma(x(act, x + j), lo);
                hi = toFloat(q.lanewise(VectorOperators.LSHR, 4).or(fifth(h, 2 * c + 1))).fma(x(act, x + 32 + j), hi);
            }
            accLo = lo.fma(splat(scales[2 * k]), accLo);
            accHi = hi.fma(splat(scales[2 * k + 1]), accHi);
        }
        return accLo.add(accHi).reduceLanes(VectorOperators.ADD) - mins;
    }

    /** Bit {@code s} (a variable: the chunk's) of each lane as 0 or 16. */
    private static IntVector fifth(IntVector qh, int s) {
        return qh.lanewise(VectorOperators.LSHR, s).and(1).lanewise(VectorOperators.LSHL, 4);
    }

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
        for (int sb = 0; sb < cols / 256; sb++, off += BYTES) {
            float d = f16(w, off), dmin = f16(w, off + 2);
            long s0 = w.get(LittleEndian.I64, off + 4);
            int s1 = w.get(LittleEndian.I32, off + 12);
            long scales = Q4KKernel.scales(s0, s1), mins = Q4KKernel.mins(s0, s1);
            for (int c = 0; c < 4; c++) {
                FloatVector dLo = splat(d * at(scales, 2 * c)), mLo = splat(-dmin * at(mins, 2 * c));
                FloatVector dHi = splat(d * at(scales, 2 * c + 1)), mHi = splat(-dmin * at(mins, 2 * c + 1));
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

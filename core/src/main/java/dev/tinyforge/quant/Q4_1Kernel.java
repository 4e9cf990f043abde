package dev.tinyforge.quant;

import static dev.tinyforge.quant.Lanes.L;
import static dev.tinyforge.quant.Lanes.f16;
import static dev.tinyforge.quant.Lanes.splat;
import static dev.tinyforge.quant.Lanes.toFloat;
import static dev.tinyforge.quant.Lanes.u8;
import static dev.tinyforge.quant.Lanes.x;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link DotKernel} for Q4_1 ({@link Q4_1Block}): nibbles as in Q4_0, value = q·d + m. Uses Q4_0's
 * byte·x + hi·(y − 16x) form ({@link Q4_0Kernel}); the min multiplies the block's activation sum.
 */
final class Q4_1Kernel implements DotKernel {
    static final Q4_1Kernel INSTANCE = new Q4_1Kernel();
    private static final int BYTES = 20;

    private Q4_1Kernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q4_1;
    }

    /** cols transformed activations, then the plain sum of each block. */
    @Override
    public int preparedLength(int cols) {
        return cols + cols / 32;
    }

    @Override
    public void prepare(float[] x, int xOff, int cols, float[] act, int actOff) {
        for (int b = 0; b < cols / 32; b++) {
            double sum = 0;
            for (int j = 0; j < 16; j++) {
                float lo = x[xOff + 32 * b + j], hi = x[xOff + 32 * b + 16 + j];
                act[actOff + 32 * b + j] = lo;
                act[actOff + 32 * b + 16 + j] = hi - 16 * lo;
                sum += (double) lo + hi;
            }
            act[actOff + cols + b] = (float) sum;
        }
    }

    @Override
    public float dot(MemorySegment w, long off, float[] act, int actOff, int cols, float[] scratch) {
        FloatVector acc = FloatVector.zero(Lanes.F), other = acc;
        int sums = actOff + cols;
        float mins = 0;
        for (int b = 0; b < cols / 32; b++, off += BYTES) {
            // Two accumulators taken in turn (see Q4_0Kernel.dot).
            FloatVector next = block(w, off, act, actOff + 32 * b).fma(splat(f16(w, off)), other);
            other = acc;
            acc = next;
            mins += f16(w, off + 2) * act[sums + b];
        }
        return acc.add(other).reduceLanes(VectorOperators.ADD) + mins;
    }

    private static FloatVector block(MemorySegment w, long off, float[] act, int a) {
        FloatVector lo = FloatVector.zero(Lanes.F), hi = lo;
        for (int j = 0; j < 16; j += L) {
            IntVector q = u8(w, off + 4 + j);
            lo = toFloat(q).fma(x(act, a + j), lo);
            hi = toFloat(q.lanewise(VectorOperators.LSHR, 4)).fma(x(act, a + 16 + j), hi);
        }
        return lo.add(hi);
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
        for (int b = 0; b < cols / 32; b++, off += BYTES) {
            FloatVector d = splat(f16(w, off)), m = splat(f16(w, off + 2));
            int at = dstOff + 32 * b;
            for (int j = 0; j < 16; j += L) {
                IntVector q = u8(w, off + 4 + j);
                toFloat(q.and(0x0F)).fma(d, m).intoArray(dst, at + j);
                toFloat(q.lanewise(VectorOperators.LSHR, 4)).fma(d, m).intoArray(dst, at + 16 + j);
            }
        }
    }
}

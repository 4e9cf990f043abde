package dev.tinyforge.quant;

import static dev.tinyforge.quant.Lanes.L;
import static dev.tinyforge.quant.Lanes.f16;
import static dev.tinyforge.quant.Lanes.s8;
import static dev.tinyforge.quant.Lanes.splat;
import static dev.tinyforge.quant.Lanes.toFloat;
import static dev.tinyforge.quant.Lanes.x;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** {@link DotKernel} for Q8_0 ({@link Q8_0Block}): 32 signed bytes and an F16 scale per block. */
final class Q8_0Kernel implements DotKernel {
    static final Q8_0Kernel INSTANCE = new Q8_0Kernel();
    private static final int BYTES = 34;

    private Q8_0Kernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public int preparedLength(int cols) {
        return cols;
    }

    @Override
    public void prepare(float[] x, int xOff, int cols, float[] act, int actOff) {
        System.arraycopy(x, xOff, act, actOff, cols);
    }

    @Override
    public float dot(MemorySegment w, long off, float[] act, int actOff, int cols, float[] scratch) {
        FloatVector acc = FloatVector.zero(Lanes.F), other = acc;
        for (int b = 0; b < cols / 32; b++, off += BYTES) {
            // Two accumulators taken in turn (see Q4_0Kernel.dot).
            FloatVector next = block(w, off, act, actOff + 32 * b).fma(splat(f16(w, off)), other);
            other = acc;
            acc = next;
        }
        return acc.add(other).reduceLanes(VectorOperators.ADD);
    }

    /**
     * Σ q·x over one block as L lanes. The first product starts the chain as a multiply: an FMA onto a
     * zero vector cost C2 a register copy of the zero per chain (and the two chains an add), 3 of ~18
     * vector instructions per block with 16-lane vectors.
     */
    private static FloatVector block(MemorySegment w, long off, float[] act, int a) {
        FloatVector sum = toFloat(s8(w, off + 2)).mul(x(act, a));
        for (int j = L; j < 32; j += L) sum = toFloat(s8(w, off + 2 + j)).fma(x(act, a + j), sum);
        return sum;
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
            float d = f16(w, off);
            for (int j = 0; j < 32; j += L) toFloat(s8(w, off + 2 + j)).mul(d).intoArray(dst, dstOff + 32 * b + j);
        }
    }
}

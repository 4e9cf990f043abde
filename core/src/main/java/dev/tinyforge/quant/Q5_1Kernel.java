package dev.tinyforge.quant;

import static dev.tinyforge.quant.Lanes.f16;
import static dev.tinyforge.quant.Lanes.splat;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link DotKernel} for Q5_1 ({@link Q5_1Block}): Q5_0's bits after a scale and a min, value = q·d + m;
 * the min multiplies the block's activation sum.
 */
final class Q5_1Kernel implements DotKernel {
    static final Q5_1Kernel INSTANCE = new Q5_1Kernel();
    private static final int BYTES = 24;

    private Q5_1Kernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q5_1;
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
        FloatVector acc = FloatVector.zero(Lanes.F), other = acc;
        int sums = actOff + cols;
        float mins = 0;
        for (int b = 0; b < cols / 32; b++, off += BYTES) {
            // Two accumulators taken in turn (see Q4_0Kernel.dot).
            FloatVector next = Q5_0Kernel.block(w, off + 4, act, actOff + 32 * b).fma(splat(f16(w, off)), other);
            other = acc;
            acc = next;
            mins += f16(w, off + 2) * act[sums + b];
        }
        return acc.add(other).reduceLanes(VectorOperators.ADD) + mins;
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
            Q5_0Kernel.decodeBlock(w, off + 4, 0, splat(f16(w, off)), splat(f16(w, off + 2)), dst, dstOff + 32 * b);
        }
    }
}

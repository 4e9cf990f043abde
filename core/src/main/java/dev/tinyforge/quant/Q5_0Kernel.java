package dev.tinyforge.quant;

import static dev.tinyforge.quant.Lanes.L;
import static dev.tinyforge.quant.Lanes.f16;
import static dev.tinyforge.quant.Lanes.fifthBits;
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
 * {@link DotKernel} for Q5_0 ({@link Q5_0Block}): low nibbles as in Q4_0 plus a 32-bit word of fifth
 * bits, value = (q − 16)·d. The −16 multiplies the block's activation sum instead of every weight.
 */
final class Q5_0Kernel implements DotKernel {
    static final Q5_0Kernel INSTANCE = new Q5_0Kernel();
    private static final int BYTES = 22;

    private Q5_0Kernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q5_0;
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
        float offsets = 0;
        for (int b = 0; b < cols / 32; b++, off += BYTES) {
            float d = f16(w, off);
            // Two accumulators taken in turn (see Q4_0Kernel.dot).
            FloatVector next = block(w, off + 2, act, actOff + 32 * b).fma(splat(d), other);
            other = acc;
            acc = next;
            offsets += d * act[sums + b];
        }
        return acc.add(other).reduceLanes(VectorOperators.ADD) - 16 * offsets;
    }

    /** Σ q·x (q in 0..31) of the block whose fifth-bit word is at {@code qhOff}, nibbles 4 bytes after. */
    static FloatVector block(MemorySegment w, long qhOff, float[] act, int a) {
        int qh = w.get(LittleEndian.I32, qhOff);
        // Not peeled: the Vector API expands to many C2 nodes, and a second copy of this body pushed
        // the caller past C2's inlining budget (boxed vectors, 10× slower).
        FloatVector lo = FloatVector.zero(Lanes.F), hi = lo;
        for (int j = 0; j < 16; j += L) {
            IntVector q = u8(w, qhOff + 4 + j);
            lo = toFloat(q.and(0x0F).or(fifthBits(qh, j))).fma(x(act, a + j), lo);
            hi = toFloat(q.lanewise(VectorOperators.LSHR, 4).or(fifthBits(qh, 16 + j))).fma(x(act, a + 16 + j), hi);
        }
        return lo.add(hi);
    }

    /**
     * Decodes one block's 32 values q into dst as (q − bias)·d + m. Q5_0 passes m = −0, which leaves every
     * product as it is, the sign of a zero included.
     */
    static void decodeBlock(MemorySegment w, long qhOff, int bias, FloatVector d, FloatVector m, float[] dst, int at) {
        int qh = w.get(LittleEndian.I32, qhOff);
        for (int j = 0; j < 16; j += L) {
            IntVector q = u8(w, qhOff + 4 + j);
            toFloat(q.and(0x0F).or(fifthBits(qh, j)).sub(bias)).fma(d, m).intoArray(dst, at + j);
            toFloat(q.lanewise(VectorOperators.LSHR, 4).or(fifthBits(qh, 16 + j)).sub(bias)).fma(d, m).intoArray(dst, at + 16 + j);
        }
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
            decodeBlock(w, off + 2, 16, splat(d), splat(-0f), dst, dstOff + 32 * b);
        }
    }
}

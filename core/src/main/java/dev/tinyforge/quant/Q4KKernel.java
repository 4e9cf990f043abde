package dev.tinyforge.quant;

import static dev.tinyforge.quant.Lanes.L;
import static dev.tinyforge.quant.Lanes.f16;
import static dev.tinyforge.quant.Lanes.splat;
import static dev.tinyforge.quant.Lanes.toFloat;
import static dev.tinyforge.quant.Lanes.u8;
import static dev.tinyforge.quant.Lanes.x;

import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link DotKernel} for Q4_K ({@link Q4KBlock}): per 64 values, 32 bytes whose low nibbles are one
 * 32-value sub-block and high nibbles the next; value = d·scale·q − dmin·min. Each sub-block's
 * Σ q·x is scaled once, and its min multiplies the sub-block's activation sum.
 */
final class Q4KKernel implements DotKernel {
    static final Q4KKernel INSTANCE = new Q4KKernel();
    private static final int BYTES = 144;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Q4KKernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    @Override
    public int preparedLength(int cols) {
        return Activations.lengthWithSums(cols, 32);
    }

    @Override
    public void prepare(float[] x, int xOff, int cols, float[] act, int actOff) {
        Activations.copyWithSums(x, xOff, cols, 32, act, actOff);
    }

    /*
     * Two phases per piece of up to SCRATCH / 8 super-blocks: the scalars first (every sub-block's d·scale
     * into scratch, the mins against the activation sums), then one flat vector loop over 64-value
     * chunks with linear indices, whose bounds checks C2 can hoist.
     */
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
            long qs = off + (long) (k >>> 2) * BYTES + 16 + 32 * (k & 3);
            int x = a + 64 * k;
            // Four chains (low/high nibbles × even/odd vectors) halve the FMA latency each one waits on.
            FloatVector lo = FloatVector.zero(Lanes.F), hi = lo, lo2 = lo, hi2 = lo;
            for (int j = 0; j < 32; j += 2 * L) {
                // The JDK's vector methods only, no helper of ours: see Q6KKernel on C2's node budget.
                IntVector q = L == 4
                        ? IntVector.broadcast(Lanes.I, w.get(LittleEndian.I32, qs + j)).lanewise(VectorOperators.LSHR, Lanes.BYTE_SHIFTS).and(0xFF)
                        : (IntVector) ByteVector.fromMemorySegment(Lanes.B, w, qs + j, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                IntVector q2 = L == 4
                        ? IntVector.broadcast(Lanes.I, w.get(LittleEndian.I32, qs + j + L)).lanewise(VectorOperators.LSHR, Lanes.BYTE_SHIFTS).and(0xFF)
                        : (IntVector) ByteVector.fromMemorySegment(Lanes.B, w, qs + j + L, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                lo = ((FloatVector) q.and(0x0F).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(Lanes.F, act, x + j), lo);
                hi = ((FloatVector) q.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                        .fma(FloatVector.fromArray(Lanes.F, act, x + 32 + j), hi);
                lo2 = ((FloatVector) q2.and(0x0F).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(Lanes.F, act, x + j + L), lo2);
                hi2 = ((FloatVector) q2.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0))
                        .fma(FloatVector.fromArray(Lanes.F, act, x + 32 + j + L), hi2);
            }
            accLo = lo.add(lo2).fma(FloatVector.broadcast(Lanes.F, scales[2 * k]), accLo);
            accHi = hi.add(hi2).fma(FloatVector.broadcast(Lanes.F, scales[2 * k + 1]), accHi);
        }
        return accLo.add(accHi).reduceLanes(VectorOperators.ADD) - mins;
    }

    /**
     * The eight 6-bit sub-block scales of the 12 packed bytes ({@link KScales}'s layout), one per byte;
     * {@code s0} holds bytes 0..7, {@code s1} bytes 8..11. Sub-blocks 0..3 keep theirs in the low 6 bits
     * of bytes 0..3; 4..7 in the low nibbles of bytes 8..11 plus the top 2 bits of bytes 0..3.
     */
    static long scales(long s0, int s1) {
        int low = (int) s0 & 0x3F3F3F3F;
        int high = (s1 & 0x0F0F0F0F) | ((((int) s0) >>> 6) & 0x03030303) << 4;
        return (low & 0xFFFFFFFFL) | (long) high << 32;
    }

    /** The eight 6-bit mins, as {@link #scales}: bytes 4..7, and high nibbles of 8..11 with the top bits of 4..7. */
    static long mins(long s0, int s1) {
        int middle = (int) (s0 >>> 32);
        int low = middle & 0x3F3F3F3F;
        int high = ((s1 >>> 4) & 0x0F0F0F0F) | ((middle >>> 6) & 0x03030303) << 4;
        return (low & 0xFFFFFFFFL) | (long) high << 32;
    }

    /** Byte {@code j} of {@code packed}. */
    static int at(long packed, int j) {
        return (int) (packed >>> (8 * j)) & 0xFF;
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
            long scales = scales(s0, s1), mins = mins(s0, s1);
            for (int c = 0; c < 4; c++) {
                FloatVector dLo = splat(d * at(scales, 2 * c)), mLo = splat(-dmin * at(mins, 2 * c));
                FloatVector dHi = splat(d * at(scales, 2 * c + 1)), mHi = splat(-dmin * at(mins, 2 * c + 1));
                int at = dstOff + 256 * sb + 64 * c;
                for (int j = 0; j < 32; j += L) {
                    IntVector q = u8(w, off + 16 + 32 * c + j);
                    toFloat(q.and(0x0F)).fma(dLo, mLo).intoArray(dst, at + j);
                    toFloat(q.lanewise(VectorOperators.LSHR, 4)).fma(dHi, mHi).intoArray(dst, at + 32 + j);
                }
            }
        }
    }
}

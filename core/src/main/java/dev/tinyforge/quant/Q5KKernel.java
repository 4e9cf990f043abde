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
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DotKernel} for Q5_K ({@link Q5KBlock}): Q4_K's nibbles and scales plus 32 bytes of fifth
 * bits, bit s of byte l belonging to value l of sub-block s.
 */
final class Q5KKernel implements DotKernel {
    static final Q5KKernel INSTANCE = new Q5KKernel();
    private static final int BYTES = 176;
    /** 256-bit vectors of ints (128-bit where the machine's vectors are), four value bytes to a lane. */
    private static final VectorSpecies<Integer> STAGE =
            VectorSpecies.of(int.class, VectorShape.forBitSize(Math.min(256, Lanes.F.vectorBitSize())));
    private static final int LOW_NIBBLES = 0x0F0F0F0F, LOW_BITS = 0x01010101;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Per kernel thread: a piece's values as bytes. */
    private static final ThreadLocal<byte[]> STAGING = ThreadLocal.withInitial(() -> new byte[KSubBlockScales.MAX_SUPER_BLOCKS * 256 + 4]);

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

    /*
     * Per piece of up to KSubBlockScales.MAX_SUPER_BLOCKS super-blocks: the sub-block scales and mins
     * as vectors (KSubBlockScales), the 5-bit values assembled as bytes four to a 32-bit lane into a
     * per-thread staging array, then each sub-block of 32 widened, converted and multiplied as Q8_0's
     * blocks are. As in Q6KKernel, the steps pass only arrays and scalars and only the JDK's vector
     * methods touch vectors (C2's node budget). Assembling each value on its own 32-bit lane, with a
     * variable shift per lane for its fifth bit, ran 11.4 GFLOP/s from cache (one core, 576×1536, 512-bit
     * vectors; 7.5 with 256-bit); this runs 15.9 (13.2).
     */
    @Override
    public float dot(MemorySegment w, long off, float[] act, int actOff, int cols, float[] scratch) {
        byte[] staging = STAGING.get();
        float sum = 0;
        for (int done = 0; done < cols; done += KSubBlockScales.MAX_SUPER_BLOCKS * 256) {
            int n = Math.min(KSubBlockScales.MAX_SUPER_BLOCKS * 256, cols - done);
            long o = off + (long) (done / 256) * BYTES;
            float mins = KSubBlockScales.convert(w, o, n / 256, BYTES, act, actOff + cols + done / 32, scratch);
            for (int sb = 0; sb < n / 256; sb++) {
                long block = o + (long) sb * BYTES;
                for (int c = 0; c < 4; c++) stageChunk(w, block + 48 + 32 * c, block + 16, c, staging, 256 * sb + 64 * c);
            }
            sum += multiply(staging, act, actOff + done, n, scratch) - mins;
        }
        return sum;
    }

    /**
     * Writes the 64 values of chunk {@code c} of a super-block as bytes to staging[at ..]: nibble byte j
     * at {@code qs} holds value j (low nibble) and 32 + j (high); bits 2c and 2c + 1 of fifth-bit byte j
     * at {@code qh} are their fifth bits. Masks repeated per byte drop what a shift moves across bytes.
     */
    private static void stageChunk(MemorySegment w, long qs, long qh, int c, byte[] staging, int at) {
        for (int j = 0; j < 32; j += 4 * STAGE.length()) {
            IntVector q = IntVector.fromMemorySegment(STAGE, w, qs + j, LE), h = IntVector.fromMemorySegment(STAGE, w, qh + j, LE);
            q.and(LOW_NIBBLES).or(h.lanewise(VectorOperators.LSHR, 2 * c).and(LOW_BITS).lanewise(VectorOperators.LSHL, 4))
                    .reinterpretAsBytes().intoArray(staging, at + j);
            q.lanewise(VectorOperators.LSHR, 4).and(LOW_NIBBLES).or(h.lanewise(VectorOperators.LSHR, 2 * c + 1).and(LOW_BITS)
                    .lanewise(VectorOperators.LSHL, 4)).reinterpretAsBytes().intoArray(staging, at + 32 + j);
        }
    }

    /**
     * Σ over the {@code n} staged values q of q·x·(d·scale), one scale per 32 values at scales[0 ..].
     * Q6KKernel has the same loop for groups of 16; one method shared by both, taking the group size,
     * ran at half the speed of either.
     */
    private static float multiply(byte[] staging, float[] act, int a, int n, float[] scales) {
        FloatVector acc = FloatVector.zero(Lanes.F), other = acc;
        for (int g = 0; g < n / 32; g++) {
            FloatVector t = FloatVector.zero(Lanes.F);
            for (int j = 0; j < 32; j += L) {
                IntVector q = L == 4 ? Lanes.u8(staging, 32 * g + j)
                        : (IntVector) ByteVector.fromArray(Lanes.B, staging, 32 * g + j).convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                t = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(Lanes.F, act, a + 32 * g + j), t);
            }
            // Two accumulators taken in turn, so that consecutive sub-blocks do not wait on each other's FMA.
            FloatVector next = t.fma(FloatVector.broadcast(Lanes.F, scales[g]), other);
            other = acc;
            acc = next;
        }
        return acc.add(other).reduceLanes(VectorOperators.ADD);
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

package dev.tinyforge.quant;

import static dev.tinyforge.quant.Lanes.L;
import static dev.tinyforge.quant.Lanes.f16;
import static dev.tinyforge.quant.Lanes.s8;
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
 * {@link DotKernel} for Q6_K ({@link Q6KBlock}): per 128 values, 64 bytes of low nibbles and 32 of
 * 2-bit high parts feed four values each; sixteen signed 8-bit scales, one per 16 values; value =
 * d·scale·(q − 32). The −32 multiplies each 16-value group's activation sum.
 */
final class Q6KKernel implements DotKernel {
    static final Q6KKernel INSTANCE = new Q6KKernel();
    private static final int BYTES = 210;
    /** 256-bit vectors of ints (128-bit where the machine's vectors are), four value bytes to a lane. */
    private static final VectorSpecies<Integer> STAGE =
            VectorSpecies.of(int.class, VectorShape.forBitSize(Math.min(256, Lanes.F.vectorBitSize())));
    private static final int LOW_NIBBLES = 0x0F0F0F0F, BITS_4_5 = 0x30303030;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Per kernel thread: the values of SCRATCH / 16 super-blocks (those whose scales fit the scratch) as bytes. */
    private static final ThreadLocal<byte[]> STAGING = ThreadLocal.withInitial(() -> new byte[SCRATCH / 16 * 256]);

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
     * Per piece of up to 16 super-blocks, the 6-bit values are first assembled as bytes with vector
     * operations on four bytes per lane (low nibbles, high nibbles and the four 2-bit fields of qh: ~17
     * operations per 128 values) into a per-thread staging array; then each group of 16 is widened,
     * converted and multiplied like Q8_0. Widening first and assembling each value on its own 32-bit
     * lane cost ~8 operations per 16 values, and converting the sixteen scales one by one in scalar code
     * cost as much again: 8.5 -> 18 GFLOP/s from cache (one core, 576×1536, 2026-12-06).
     *
     * C2 inlines the three steps into dot until its node budget runs out; a helper of ours that takes or
     * returns a vector and is not inlined gets its vectors boxed (20× slower, seen with 256-bit vectors).
     * So the steps pass only arrays and scalars, and inside them only the JDK's vector methods (always
     * inlined) handle vectors.
     */
    @Override
    public float dot(MemorySegment w, long off, float[] act, int actOff, int cols, float[] scratch) {
        byte[] staging = STAGING.get();
        float sum = 0;
        for (int done = 0; done < cols; done += SCRATCH / 16 * 256) {
            int n = Math.min(SCRATCH / 16 * 256, cols - done);
            long o = off + (long) (done / 256) * BYTES;
            float offsets = scales(w, o, n / 256, act, actOff + cols + done / 16, scratch);
            for (int h = 0; h < n / 128; h++) {
                long half = o + (long) (h >>> 1) * BYTES;
                stageHalf(w, half + 64 * (h & 1), half + 128 + 32 * (h & 1), staging, 128 * h);
            }
            sum += multiply(staging, act, actOff + done, n, scratch) - 32 * offsets;
        }
        return sum;
    }

    /**
     * Writes each group's d·scale of the {@code superBlocks} at {@code off} to scales[0 ..]; returns
     * their products with the group sums at act[sums ..] (what the −32 of q contributes, over −32).
     */
    private static float scales(MemorySegment w, long off, int superBlocks, float[] act, int sums, float[] scales) {
        FloatVector offsets = FloatVector.zero(Lanes.F);
        for (int sb = 0; sb < superBlocks; sb++) {
            long block = off + (long) sb * BYTES;
            float d = f16(w, block + 208);
            for (int j = 0; j < 16; j += L) {
                IntVector s = L == 4 ? Lanes.s8(w, block + 192 + j)
                        : (IntVector) ByteVector.fromMemorySegment(Lanes.B, w, block + 192 + j, LE).convertShape(VectorOperators.B2I, Lanes.I, 0);
                FloatVector scale = ((FloatVector) s.convert(VectorOperators.I2F, 0)).mul(d);
                scale.intoArray(scales, 16 * sb + j);
                offsets = scale.fma(FloatVector.fromArray(Lanes.F, act, sums + 16 * sb + j), offsets);
            }
        }
        return offsets.reduceLanes(VectorOperators.ADD);
    }

    /** Σ over the {@code n} staged values q of q·x·(d·scale), one scale per 16 values at scales[0 ..]; Q3_K's too. */
    static float multiply(byte[] staging, float[] act, int a, int n, float[] scales) {
        FloatVector acc = FloatVector.zero(Lanes.F), other = acc;
        for (int g = 0; g < n / 16; g++) {
            FloatVector t = FloatVector.zero(Lanes.F);
            for (int j = 0; j < 16; j += L) {
                IntVector q = L == 4 ? Lanes.u8(staging, 16 * g + j)
                        : (IntVector) ByteVector.fromArray(Lanes.B, staging, 16 * g + j).convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                t = ((FloatVector) q.convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(Lanes.F, act, a + 16 * g + j), t);
            }
            // Two accumulators taken in turn, so that consecutive groups do not wait on each other's FMA.
            FloatVector next = t.fma(FloatVector.broadcast(Lanes.F, scales[g]), other);
            other = acc;
            acc = next;
        }
        return acc.add(other).reduceLanes(VectorOperators.ADD);
    }

    /**
     * Writes the 128 values of the half with low nibbles at {@code ql} and 2-bit parts at {@code qh} as
     * bytes, in value order, to staging[at ..]. Byte j of the first 32 nibble bytes holds value j (low
     * nibble) and 64 + j (high); byte 32 + j values 32 + j and 96 + j; qh byte j holds the top bits of
     * j, 32 + j, 64 + j and 96 + j in its bit pairs 0, 1, 2 and 3. The bytes are handled four to a
     * 32-bit lane (masks repeated per byte drop the bits that a shift moves across bytes): fewer
     * operations for C2 to inline than byte lanes, whose shifts x86 lacks.
     */
    private static void stageHalf(MemorySegment w, long ql, long qh, byte[] staging, int at) {
        for (int c = 0; c < 32; c += 4 * STAGE.length()) {
            IntVector lo0 = IntVector.fromMemorySegment(STAGE, w, ql + c, LE), lo1 = IntVector.fromMemorySegment(STAGE, w, ql + 32 + c, LE);
            IntVector top = IntVector.fromMemorySegment(STAGE, w, qh + c, LE);
            lo0.and(LOW_NIBBLES).or(top.lanewise(VectorOperators.LSHL, 4).and(BITS_4_5)).reinterpretAsBytes().intoArray(staging, at + c);
            lo1.and(LOW_NIBBLES).or(top.lanewise(VectorOperators.LSHL, 2).and(BITS_4_5)).reinterpretAsBytes().intoArray(staging, at + 32 + c);
            lo0.lanewise(VectorOperators.LSHR, 4).and(LOW_NIBBLES).or(top.and(BITS_4_5)).reinterpretAsBytes().intoArray(staging, at + 64 + c);
            lo1.lanewise(VectorOperators.LSHR, 4).and(LOW_NIBBLES).or(top.lanewise(VectorOperators.LSHR, 2).and(BITS_4_5))
                    .reinterpretAsBytes().intoArray(staging, at + 96 + c);
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

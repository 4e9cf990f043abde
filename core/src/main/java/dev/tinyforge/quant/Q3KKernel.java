package dev.tinyforge.quant;

import static dev.tinyforge.quant.Lanes.L;
import static dev.tinyforge.quant.Lanes.f16;
import static dev.tinyforge.quant.Lanes.toFloat;
import static dev.tinyforge.quant.Lanes.u8;
import static dev.tinyforge.quant.Lanes.u8At;
import static dev.tinyforge.quant.Lanes.x;

import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DotKernel} for Q3_K ({@link Q3KBlock}): Q2_K's bit pairs plus a high bit from {@code hmask};
 * the quant is (low | high << 2) − 4 and the scale a 6-bit signed value, value = d·(scale − 32)·q.
 * The −4 multiplies each 16-value group's activation sum.
 */
final class Q3KKernel implements DotKernel {
    static final Q3KKernel INSTANCE = new Q3KKernel();
    private static final int BYTES = 110;
    /** Super-blocks per piece: their scales fill the scratch. */
    private static final int PIECE = SCRATCH / 16;
    /** Where the staging array keeps one super-block's sixteen unpacked scale bytes (after a piece's values). */
    private static final int SCALE_BYTES = PIECE * 256;
    /** 256-bit vectors of ints (128-bit where the machine's vectors are), four value bytes to a lane. */
    private static final VectorSpecies<Integer> STAGE =
            VectorSpecies.of(int.class, VectorShape.forBitSize(Math.min(256, Lanes.F.vectorBitSize())));
    private static final int TWO_BITS = 0x03030303, ONE_BITS = 0x01010101;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, LE);
    /** Per kernel thread: a piece's values as bytes, then sixteen scale bytes (and room for an 8-byte load). */
    private static final ThreadLocal<byte[]> STAGING = ThreadLocal.withInitial(() -> new byte[SCALE_BYTES + 16 + 8]);

    private Q3KKernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q3_K;
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
     * Per piece of up to SCRATCH / 16 super-blocks: the sixteen scales of each as vectors (unpacked with
     * 64-bit operations, then converted), the 3-bit values assembled as bytes four to a 32-bit lane into
     * a per-thread staging array, then each group of 16 widened, converted and multiplied (Q6_K's loop,
     * shared) as Q8_0's blocks are. As in Q6KKernel, the steps pass only arrays and scalars and only the JDK's vector
     * methods touch vectors (C2's node budget). Assembling each value on its own 32-bit lane and each
     * scale in scalar code ran 5.2 GFLOP/s from cache (one core, 576×1536, 512-bit vectors); this runs
     * 14.7 (256-bit: 4.9 -> 13.3).
     */
    @Override
    public float dot(MemorySegment w, long off, float[] act, int actOff, int cols, float[] scratch) {
        byte[] staging = STAGING.get();
        float sum = 0;
        for (int done = 0; done < cols; done += PIECE * 256) {
            int n = Math.min(PIECE * 256, cols - done);
            long o = off + (long) (done / 256) * BYTES;
            float offsets = scales(w, o, n / 256, act, actOff + cols + done / 16, scratch, staging);
            for (int sb = 0; sb < n / 256; sb++) {
                long block = o + (long) sb * BYTES;
                stageHalf(w, block + 32, block, 0, staging, 256 * sb);
                stageHalf(w, block + 64, block, 1, staging, 256 * sb + 128);
            }
            sum += Q6KKernel.multiply(staging, act, actOff + done, n, scratch) - 4 * offsets;
        }
        return sum;
    }

    /**
     * Writes d·(scale − 32) of each group of 16 values of the {@code superBlocks} at {@code off} to
     * scales[0 ..]; returns their products with the group sums at act[sums ..] (the −4 of q, over −4).
     */
    private static float scales(MemorySegment w, long off, int superBlocks, float[] act, int sums, float[] scales, byte[] staging) {
        FloatVector offsets = FloatVector.zero(Lanes.F);
        for (int sb = 0; sb < superBlocks; sb++) {
            long block = off + (long) sb * BYTES;
            // Scale s: low 4 bits in byte s (s < 8) or the high nibble of byte s − 8; top 2 bits in byte
            // 8 + s % 4 at bit 2·(s / 4). Sixteen bytes, scales 0..7 in the first long, 8..15 in the second.
            long low = w.get(LittleEndian.I64, block + 96);
            int top = w.get(LittleEndian.I32, block + 104);
            long first = (low & 0x0F0F0F0F0F0F0F0FL) | ((top & 0x03030303L) | (long) ((top >>> 2) & 0x03030303) << 32) << 4;
            long second = ((low >>> 4) & 0x0F0F0F0F0F0F0F0FL) | (((top >>> 4) & 0x03030303L) | (long) ((top >>> 6) & 0x03030303) << 32) << 4;
            LE_LONG.set(staging, SCALE_BYTES, first);
            LE_LONG.set(staging, SCALE_BYTES + 8, second);
            float d = f16(w, block + 108);
            for (int j = 0; j < 16; j += L) {
                IntVector s = L == 4 ? Lanes.u8(staging, SCALE_BYTES + j)
                        : (IntVector) ByteVector.fromArray(Lanes.B, staging, SCALE_BYTES + j).convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                FloatVector scale = ((FloatVector) s.sub(32).convert(VectorOperators.I2F, 0)).mul(d);
                scale.intoArray(scales, 16 * sb + j);
                offsets = scale.fma(FloatVector.fromArray(Lanes.F, act, sums + 16 * sb + j), offsets);
            }
        }
        return offsets.reduceLanes(VectorOperators.ADD);
    }

    /**
     * Writes the 128 values of half {@code n} of a super-block as bytes (q | high << 2, 0..7) to
     * staging[at ..]: values 32j .. 32j + 31 take bit pair j of the 32 quant bytes at {@code qs} and bit
     * 4n + j of the 32 hmask bytes at {@code hm}. Masks repeated per byte drop what a shift moves across bytes.
     */
    private static void stageHalf(MemorySegment w, long qs, long hm, int n, byte[] staging, int at) {
        for (int c = 0; c < 32; c += 4 * STAGE.length()) {
            IntVector q = IntVector.fromMemorySegment(STAGE, w, qs + c, LE), h = IntVector.fromMemorySegment(STAGE, w, hm + c, LE);
            for (int j = 0; j < 4; j++) {
                q.lanewise(VectorOperators.LSHR, 2 * j).and(TWO_BITS)
                        .or(h.lanewise(VectorOperators.LSHR, 4 * n + j).and(ONE_BITS).lanewise(VectorOperators.LSHL, 2))
                        .reinterpretAsBytes().intoArray(staging, at + 32 * j + c);
            }
        }
    }

    /** The 6-bit scale {@code s} (stored + 32) of the 12 bytes at {@code scales}; layout in {@link Q3KBlock}. */
    private static int scale(MemorySegment w, long scales, int s) {
        int low = s < 8 ? u8At(w, scales + s) & 0x0F : u8At(w, scales + s - 8) >>> 4;
        int high = (u8At(w, scales + 8 + s % 4) >>> (2 * (s / 4))) & 3;
        return low | high << 4;
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
        decodePairs(w, off, dst, dstOff, cols, 0);
        decodePairs(w, off, dst, dstOff, cols, 2);
    }

    private static void decodePairs(MemorySegment w, long off, float[] dst, int dstOff, int cols, int j) {
        for (int k = 0; k < cols / 64; k++) {
            long sb = off + (long) (k >>> 2) * BYTES;
            int h = (k >>> 1) & 1, sub = k & 1;
            long qs = sb + 32 + 32 * h + 16 * sub, hm = sb + 16 * sub;
            int at = dstOff + 128 * (k >>> 1) + 32 * j + 16 * sub;
            float d = f16(w, sb + 108);
            int s = 8 * h + 2 * j + sub;
            float d0 = d * (scale(w, sb + 96, s) - 32), d1 = d * (scale(w, sb + 96, s + 2) - 32);
            for (int l = 0; l < 16; l += L) {
                IntVector q = u8(w, qs + l).lanewise(VectorOperators.LSHR, 2 * j);
                IntVector high = u8(w, hm + l).lanewise(VectorOperators.LSHR, 4 * h + j).lanewise(VectorOperators.LSHL, 2);
                toFloat(q.and(3).or(high.and(4)).sub(4)).mul(d0).intoArray(dst, at + l);
                toFloat(q.lanewise(VectorOperators.LSHR, 2).and(3).or(high.lanewise(VectorOperators.LSHR, 1).and(4)).sub(4))
                        .mul(d1).intoArray(dst, at + 32 + l);
            }
        }
    }
}

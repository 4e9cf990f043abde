package dev.tinyforge.quant;

import static dev.tinyforge.quant.Lanes.L;
import static dev.tinyforge.quant.Lanes.f16;

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
 * The sub-block scales and mins of Q4_K and Q5_K super-blocks (eight 6-bit pairs packed in 12 bytes,
 * {@link KScales}), converted for a piece of a row at once: each sub-block's d·scale for the dot's
 * vector loop, and Σ dmin·min·(the sub-block's activation sum) for the mins' share of the dot.
 *
 * <p>Unpacking stays scalar (a few 64-bit operations per super-block); the conversions then run as
 * vectors over every sub-block of the piece. One sub-block at a time in scalar code (extract a byte,
 * convert, multiply, store, multiply-add) took 43% of a Q4_K dot (46 of 107 µs per 576×1536 matrix).
 */
final class KSubBlockScales {
    /** Super-blocks per call at most: their sub-blocks fill a {@link DotKernel#SCRATCH}. */
    static final int MAX_SUPER_BLOCKS = DotKernel.SCRATCH / 8;

    private static final ThreadLocal<KSubBlockScales> PER_THREAD = ThreadLocal.withInitial(KSubBlockScales::new);
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Eight floats, or four where the machine's vectors are 128 bits: one super-block's d, spread. */
    private static final VectorSpecies<Float> EIGHT = VectorSpecies.of(float.class, VectorShape.forBitSize(Math.min(256, 32 * L)));

    // Per sub-block of the piece; the byte arrays with room for the 8-byte loads of 4-lane vectors.
    private final byte[] scales = new byte[8 * MAX_SUPER_BLOCKS + 4], mins = new byte[8 * MAX_SUPER_BLOCKS + 4];
    private final float[] d = new float[8 * MAX_SUPER_BLOCKS], dmin = new float[8 * MAX_SUPER_BLOCKS];

    private KSubBlockScales() {}

    /**
     * Writes d·scale of each sub-block of the {@code superBlocks} (at most {@link #MAX_SUPER_BLOCKS})
     * at {@code off}, {@code blockBytes} apart, to out[0 ..]; returns Σ dmin·min·act[sums + sub-block].
     */
    static float convert(MemorySegment w, long off, int superBlocks, int blockBytes, float[] act, int sums, float[] out) {
        KSubBlockScales s = PER_THREAD.get();
        for (int sb = 0; sb < superBlocks; sb++) {
            long block = off + (long) sb * blockBytes;
            long s0 = w.get(LittleEndian.I64, block + 4);
            int s1 = w.get(LittleEndian.I32, block + 12);
            LE_LONG.set(s.scales, 8 * sb, Q4KKernel.scales(s0, s1));
            LE_LONG.set(s.mins, 8 * sb, Q4KKernel.mins(s0, s1));
            FloatVector d = FloatVector.broadcast(EIGHT, f16(w, block)), dmin = FloatVector.broadcast(EIGHT, f16(w, block + 2));
            for (int j = 0; j < 8; j += EIGHT.length()) {
                d.intoArray(s.d, 8 * sb + j);
                dmin.intoArray(s.dmin, 8 * sb + j);
            }
        }
        return s.convertStaged(8 * superBlocks, act, sums, out);
    }

    private float convertStaged(int subBlocks, float[] act, int sums, float[] out) {
        FloatVector mins = FloatVector.zero(Lanes.F);
        int i = 0;
        for (; i + L <= subBlocks; i += L) {
            // The JDK's vector methods only, no helper of ours: see Q6KKernel on C2's node budget.
            IntVector sc = (IntVector) ByteVector.fromArray(Lanes.B, scales, i).convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
            IntVector m = (IntVector) ByteVector.fromArray(Lanes.B, this.mins, i).convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
            ((FloatVector) sc.convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(Lanes.F, d, i)).intoArray(out, i);
            FloatVector min = ((FloatVector) m.convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(Lanes.F, dmin, i));
            mins = min.fma(FloatVector.fromArray(Lanes.F, act, sums + i), mins);
        }
        float tail = 0;
        for (; i < subBlocks; i++) { // the last 8 with 16 lanes and an odd number of super-blocks
            out[i] = d[i] * (scales[i] & 0xFF);
            tail += dmin[i] * (this.mins[i] & 0xFF) * act[sums + i];
        }
        return mins.reduceLanes(VectorOperators.ADD) + tail;
    }
}

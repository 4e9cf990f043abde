package dev.tinyforge.quant;

import dev.tinyforge.tensor.LittleEndian;
import dev.tinyforge.tensor.VectorMath;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes of the block kernels, all derived once from {@link VectorMath#F} (so
 * {@code -Dtinyforge.vector.bits} applies here too): {@code L} float lanes, and loads that widen
 * {@code L} packed bytes or shorts of a block straight from the mapped segment to {@code L} int lanes.
 *
 * <p>Kernels decode to int lanes and convert to float rather than multiplying int8 by int8: in Java
 * there is no pmaddubsw/vpdpbusd, and widening through ShortVector measured 4.2–5.4 GB/s per core on a
 * Q4_0 1536×576 mat-vec against 5.5–6.2 GB/s for decode + FMA (Zen 3, AVX2, 2026-11-22).
 */
final class Lanes {
    private Lanes() {}

    static final VectorSpecies<Float> F = VectorMath.F;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final int L = F.length();

    /** L bytes, or 8 when L is 4 (there is no 32-bit byte shape; those lanes are loaded as one int). */
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, 8 * L)));
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(16 * L));
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, LE);
    /** Per-lane shifts that spread the 4 bytes of an int over 4 lanes (only used when L == 4). */
    static final IntVector BYTE_SHIFTS = L == 4 ? IntVector.fromArray(I, new int[] {0, 8, 16, 24}, 0) : null;
    private static final IntVector BYTE_TO_TOP = L == 4 ? IntVector.fromArray(I, new int[] {24, 16, 8, 0}, 0) : null;

    /** 0, 1, 2, … per lane. */
    static final IntVector IOTA = IntVector.zero(I).addIndex(1);

    static {
        if (32 % L != 0) throw new IllegalStateException("block kernels need a float vector of 4, 8 or 16 lanes, got " + L);
    }

    /** The L bytes at {@code off}, zero-extended. */
    static IntVector u8(MemorySegment w, long off) {
        if (L == 4) return IntVector.broadcast(I, w.get(LittleEndian.I32, off)).lanewise(VectorOperators.LSHR, BYTE_SHIFTS).and(0xFF);
        return (IntVector) ByteVector.fromMemorySegment(B, w, off, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
    }

    /** The L bytes at {@code a[off]}, zero-extended. */
    static IntVector u8(byte[] a, int off) {
        if (L == 4) return IntVector.broadcast(I, (int) LE_INT.get(a, off)).lanewise(VectorOperators.LSHR, BYTE_SHIFTS).and(0xFF);
        return (IntVector) ByteVector.fromArray(B, a, off).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
    }

    /** The L bytes at {@code off}, sign-extended. */
    static IntVector s8(MemorySegment w, long off) {
        if (L == 4) {
            return IntVector.broadcast(I, w.get(LittleEndian.I32, off)).lanewise(VectorOperators.LSHL, BYTE_TO_TOP)
                    .lanewise(VectorOperators.ASHR, 24);
        }
        return (IntVector) ByteVector.fromMemorySegment(B, w, off, LE).convertShape(VectorOperators.B2I, I, 0);
    }

    /** The L little-endian 16-bit values at {@code off}, zero-extended. */
    static IntVector u16(MemorySegment w, long off) {
        return (IntVector) ShortVector.fromMemorySegment(S, w, off, LE).convertShape(VectorOperators.ZERO_EXTEND_S2I, I, 0);
    }

    /**
     * Bits {@code first .. first + L} of {@code word}, one per lane, as 0 or 16: the fifth bits of the
     * Q5 types for L consecutive values.
     */
    static IntVector fifthBits(int word, int first) {
        return IntVector.broadcast(I, (word >>> first) << 4).lanewise(VectorOperators.LSHR, IOTA).and(16);
    }

    static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    static FloatVector splat(float v) {
        return FloatVector.broadcast(F, v);
    }

    static FloatVector x(float[] x, int off) {
        return FloatVector.fromArray(F, x, off);
    }

    /** An F16 scale at byte {@code off} (the JDK's conversion compiles to one vcvtph2ps). */
    static float f16(MemorySegment w, long off) {
        return Float.float16ToFloat(w.get(LittleEndian.I16, off));
    }

    static int u8At(MemorySegment w, long off) {
        return w.get(LittleEndian.I8, off) & 0xFF;
    }
}

package dev.tinyforge.testing;

import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.tensor.BFloat16;
import dev.tinyforge.tensor.Float16;
import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/**
 * Random tensors of any ggml block type: every quant and packed-scale bit random (any bit pattern is a
 * valid block), the F16 scale fields set to finite values of a realistic size, so every code path of a
 * kernel — all nibbles, high bits, signed scales, mins — is exercised.
 */
public final class RandomBlocks {
    private RandomBlocks() {}

    /** {@code rows × cols} values of {@code type} in a fresh segment of {@code arena}, at byte {@code skew} of it. */
    public static MemorySegment matrix(Arena arena, GgmlType type, int rows, int cols, long seed, int skew) {
        long bytes = type.byteSize((long) rows * cols);
        MemorySegment all = arena.allocate(bytes + skew, 1);
        MemorySegment data = all.asSlice(skew, bytes);
        SplittableRandom random = new SplittableRandom(seed);
        if (type == GgmlType.F16 || type == GgmlType.BF16) {
            for (long i = 0; i < (long) rows * cols; i++) {
                float v = (float) (random.nextGaussian() * 0.5);
                data.set(LittleEndian.I16, 2 * i, type == GgmlType.F16 ? Float16.fromFloat(v) : BFloat16.fromFloat(v));
            }
            return data;
        }
        for (long i = 0; i < bytes; i++) data.set(LittleEndian.I8, i, (byte) random.nextInt(256));
        for (long block = 0; block < bytes; block += type.typeSize()) {
            for (int field : scaleFields(type)) {
                // |d| in [0.001, 0.05], either sign for d; mins of ggml are positive but any sign is valid.
                float v = (float) ((0.001 + 0.049 * random.nextDouble()) * (random.nextBoolean() ? 1 : -1));
                data.set(LittleEndian.I16, block + field, Float16.fromFloat(v));
            }
        }
        return data;
    }

    /** Byte offsets of the F16 fields (scale, min) inside one block of {@code type}. */
    public static int[] scaleFields(GgmlType type) {
        return switch (type) {
            case Q8_0, Q4_0, Q5_0 -> new int[] {0};
            case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
            case Q2_K -> new int[] {80, 82};
            case Q3_K -> new int[] {108};
            case Q6_K -> new int[] {208};
            default -> throw new IllegalArgumentException("no block layout for " + type);
        };
    }

    public static float[] gaussian(SplittableRandom random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) random.nextGaussian();
        return x;
    }
}

package dev.tinyforge.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.testing.RandomBlocks;
import dev.tinyforge.util.BadInputException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@link DotKernel} against the scalar reference: rows decoded by {@link Dequantizer} (ggml's
 * arithmetic), multiplied in double.
 *
 * <p>Bounds. {@code decode} equals the reference bit for bit where it performs ggml's operations in
 * ggml's order, and is within one rounding of the row's largest value where it fuses q·d + m into one
 * FMA (Q4_1, Q5_1 and the K types with mins). {@code dot} sums in float in another order than the
 * reference, so its error is bounded relative to Σ|w·x| (the size of the terms, not of the result, which
 * may cancel to near zero): 2e-6 for plain kernels, measured ≤ 3e-7 on 1024-wide rows; 2e-5 for
 * Q4_0/Q4_1, whose byte·x + hi·(y − 16x) form sums terms ~16× larger (measured ≤ 2e-6).
 */
class DotKernelTest {
    static double tolerance(GgmlType type) {
        return type == GgmlType.Q4_0 || type == GgmlType.Q4_1 ? 2e-5 : 2e-6;
    }

    static int[] widths(GgmlType type) {
        return switch (type.blockSize()) {
            case 1 -> new int[] {1, 7, 37, 96, 1000};
            case 32 -> new int[] {32, 96, 544, 1024};
            // 8448: past the super-blocks whose scales fit the scratch at once (Q4_K 32, Q6_K 16).
            default -> new int[] {256, 768, 1024, 8448};
        };
    }

    @ParameterizedTest
    @EnumSource(names = {"F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void dotMatchesTheDecodedRowInDouble(GgmlType type) {
        DotKernel kernel = DotKernel.of(type);
        assertEquals(type, kernel.type());
        SplittableRandom random = new SplittableRandom(type.ordinal());
        double worst = 0;
        try (Arena arena = Arena.ofConfined()) {
            for (int cols : widths(type)) {
                int rows = 5;
                // An odd start proves the kernels need no alignment (GGUF aligns to 32, safetensors to nothing).
                MemorySegment w = RandomBlocks.matrix(arena, type, rows, cols, random.nextLong(), 3);
                float[] x = RandomBlocks.gaussian(random, cols + 7);
                float[] act = new float[kernel.preparedLength(cols) + 11];
                kernel.prepare(x, 7, cols, act, 11);
                float[] decoded = new float[cols];
                long rowBytes = type.byteSize(cols);
                for (int r = 0; r < rows; r++) {
                    Dequantizer.decode(type, w, r * rowBytes, decoded, 0, cols);
                    double expected = 0, magnitude = 0;
                    for (int c = 0; c < cols; c++) {
                        expected += (double) decoded[c] * x[7 + c];
                        magnitude += Math.abs((double) decoded[c] * x[7 + c]);
                    }
                    float got = kernel.dot(w, r * rowBytes, act, 11, cols, new float[DotKernel.SCRATCH]);
                    double error = Math.abs(got - expected) / magnitude;
                    worst = Math.max(worst, error);
                    assertTrue(error <= tolerance(type), type + " " + cols + " cols row " + r + ": " + got + " vs " + expected
                            + " (error " + error + " of Σ|w·x| " + magnitude + ")");
                }
            }
        }
        System.out.printf("%s dot: worst error %.2e of Σ|w·x|%n", type, worst);
    }

    @ParameterizedTest
    @EnumSource(names = {"F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void decodeMatchesTheBlockDecoder(GgmlType type) {
        DotKernel kernel = DotKernel.of(type);
        boolean fused = switch (type) {
            case Q4_1, Q5_1, Q2_K, Q4_K, Q5_K -> true;
            default -> false;
        };
        SplittableRandom random = new SplittableRandom(100 + type.ordinal());
        try (Arena arena = Arena.ofConfined()) {
            for (int cols : widths(type)) {
                MemorySegment w = RandomBlocks.matrix(arena, type, 3, cols, random.nextLong(), 1);
                long rowBytes = type.byteSize(cols);
                for (int r = 0; r < 3; r++) {
                    float[] expected = new float[cols], got = new float[cols + 5];
                    Dequantizer.decode(type, w, r * rowBytes, expected, 0, cols);
                    kernel.decode(w, r * rowBytes, got, 5, cols);
                    float max = 0;
                    for (float v : expected) max = Math.max(max, Math.abs(v));
                    for (int c = 0; c < cols; c++) {
                        if (fused) {
                            assertEquals(expected[c], got[5 + c], Math.ulp(max), type + " value " + c);
                        } else {
                            assertEquals(Float.floatToIntBits(expected[c]), Float.floatToIntBits(got[5 + c]),
                                    type + " value " + c + ": " + expected[c] + " vs " + got[5 + c]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void typesWithoutAKernelAreAClearError() {
        assertTrue(DotKernel.supports(GgmlType.Q6_K));
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.IQ4_NL, GgmlType.Q8_K, GgmlType.I32}) {
            assertTrue(!DotKernel.supports(type));
            BadInputException e = assertThrows(BadInputException.class, () -> DotKernel.of(type));
            assertTrue(e.getMessage().contains(type.name()), e.getMessage());
        }
    }
}

package dev.tinyforge.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.tensor.BFloat16;
import dev.tinyforge.tensor.Float16;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Quantize-then-dequantize properties for every encodable type (the bytes themselves are checked
 * against llama.cpp in {@link QuantizerFixtureTest}): bounded error, exact zeros, faithful constant
 * blocks and outliers, row ranges that give the same bytes as the whole, and clear errors for
 * values that cannot be encoded.
 */
class QuantizerPropertyTest {

    /**
     * Per type: the largest |error| as a fraction of the largest |value| in its block (the 256-value
     * super-block for k-quants), and the error's RMS relative to the values' RMS. From the step size
     * (e.g. Q4_0: 1/8, the clamp at +7 of a block whose extreme is negative; Q8_0: 1/254 plus F16
     * rounding of d) or, for k-quants, measured on this data with ~5% headroom.
     */
    static Stream<Arguments> bounds() {
        return Stream.of(
                Arguments.of(GgmlType.F32, 0.0, 0.0),
                Arguments.of(GgmlType.F16, 0x1p-11, 0x1p-11),
                Arguments.of(GgmlType.BF16, 0x1p-8, 0x1p-8),
                Arguments.of(GgmlType.Q8_0, 0.0045, 0.012),
                Arguments.of(GgmlType.Q4_0, 0.126, 0.15),
                Arguments.of(GgmlType.Q4_1, 0.068, 0.13),
                Arguments.of(GgmlType.Q5_0, 0.063, 0.085),
                Arguments.of(GgmlType.Q5_1, 0.033, 0.065),
                Arguments.of(GgmlType.Q2_K, 0.36, 0.46),
                Arguments.of(GgmlType.Q3_K, 0.17, 0.21),
                Arguments.of(GgmlType.Q4_K, 0.066, 0.115),
                Arguments.of(GgmlType.Q5_K, 0.034, 0.06),
                Arguments.of(GgmlType.Q6_K, 0.017, 0.034));
    }

    static Stream<GgmlType> types() {
        return bounds().map(a -> (GgmlType) a.get()[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bounds")
    void roundTripErrorIsBounded(GgmlType type, double maxRelative, double rmsRelative) {
        int rows = 4, cols = 512;
        for (long seed = 100; seed < 120; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] x = new float[rows * cols];
            // weights-like: N(0, 0.02) with a random per-value scale and a few outliers
            for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextGaussian() * 0.02 * Math.exp(random.nextGaussian()));
            for (int k = 0; k < 4; k++) x[random.nextInt(x.length)] = (float) (random.nextGaussian() * 0.3);
            float[] y = roundTrip(type, x, rows, cols);
            int scope = Math.max(32, type.blockSize());
            double squaredError = 0, squaredValue = 0;
            for (int start = 0; start < x.length; start += scope) {
                float amax = 0;
                for (int i = start; i < start + scope; i++) amax = Math.max(amax, Math.abs(x[i]));
                for (int i = start; i < start + scope; i++) {
                    double error = Math.abs(x[i] - y[i]);
                    assertTrue(error <= maxRelative * amax, type + " seed " + seed + " value " + i + ": " + x[i] + " -> " + y[i]
                            + " is off by " + error / amax + " of the block's max, bound " + maxRelative);
                    squaredError += error * error;
                    squaredValue += (double) x[i] * x[i];
                }
            }
            double rms = Math.sqrt(squaredError / squaredValue);
            assertTrue(rms <= rmsRelative, type + " seed " + seed + ": relative RMS error " + rms + ", bound " + rmsRelative);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void zerosStayExactZeros(GgmlType type) {
        float[] y = roundTrip(type, new float[2 * 256], 2, 256);
        for (float v : y) assertEquals(0.0f, Math.abs(v), type + " turned a zero into " + v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void constantBlocksComeBackWithinF16Rounding(GgmlType type) {
        // large enough that every scale is a normal F16: a tiny constant (e.g. 1e-4 in Q8_0, d = 7.9e-7)
        // gets a subnormal F16 scale with fewer bits, in llama.cpp as here
        for (float c : new float[] {0.5f, -0.5f, 3.5f, -7.25f}) {
            float[] x = new float[256];
            Arrays.fill(x, c);
            for (float v : roundTrip(type, x, 1, 256)) {
                // the scale is the only rounded thing: F16's 2^-11, a 6-bit k-quant scale of 63 exactly, or BF16's 2^-8
                double bound = (type == GgmlType.BF16 ? 0x1p-8 : 0x1p-10) * Math.abs(c);
                assertTrue(Math.abs(v - c) <= bound, type + ": constant " + c + " came back as " + v);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bounds")
    void aSingleOutlierKeepsItsValue(GgmlType type, double maxRelative, double rmsRelative) {
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[256];
        for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextGaussian() * 1e-3);
        for (int at : new int[] {0, 77, 255}) {
            for (float outlier : new float[] {0.5f, -0.5f}) {
                float[] withOutlier = x.clone();
                withOutlier[at] = outlier;
                float y = roundTrip(type, withOutlier, 1, 256)[at];
                assertTrue(Math.abs(y - outlier) <= maxRelative * Math.abs(outlier),
                        type + ": outlier " + outlier + " at " + at + " came back as " + y);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void rowRangesGiveTheSameBytesAsTheWhole(GgmlType type) {
        int rows = 9, cols = 512;
        float[] x = new float[rows * cols];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        byte[] whole = Quantizer.quantize(type, x, rows, cols);
        int rowBytes = (int) type.byteSize(cols);
        byte[] pieces = new byte[whole.length];
        Quantizer.quantize(type, x, 0, 4, cols, pieces, 0);
        Quantizer.quantize(type, x, 4 * cols, 5, cols, pieces, 4 * rowBytes);
        assertArrayEquals(whole, pieces);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(whole.length + 3);
            Quantizer.quantize(type, x, 0, rows, cols, segment, 3);
            assertArrayEquals(whole, segment.asSlice(3).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void nonFiniteValuesAreRefusedWithTheirPosition(GgmlType type) {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] x = new float[3 * 256];
            x[2 * 256 + 45] = bad;
            x[2 * 256 + 200] = bad;
            QuantizationException e = assertThrows(QuantizationException.class, () -> Quantizer.quantize(type, x, 3, 256));
            assertEquals(2, e.row());
            assertEquals(45, e.column());
            assertTrue(e.getMessage().contains("row 2, column 45") && e.getMessage().contains("not finite"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void valuesTooLargeForTheScaleAreRefused(GgmlType type) {
        // 1e9 overflows every block type's F16 scale (caught after encoding, like ggml's validation) and
        // F16 (above 65504); Float.MAX_VALUE is refused before encoding for block types and rounds to
        // infinity in BF16; F32 holds both
        for (float huge : new float[] {1e9f, -1e9f, Float.MAX_VALUE}) {
            float[] x = new float[256];
            x[100] = huge;
            boolean fits = type == GgmlType.F32 || (type == GgmlType.BF16 && huge != Float.MAX_VALUE);
            if (fits) {
                assertEquals(huge, roundTrip(type, x, 1, 256)[100], Math.abs(huge) * 0x1p-8);
                continue;
            }
            QuantizationException e = assertThrows(QuantizationException.class, () -> Quantizer.quantize(type, x, 1, 256));
            assertTrue(e.getMessage().contains("too large for " + type), e.getMessage());
            boolean wholeBlock = type.isQuantized() && huge != Float.MAX_VALUE;
            assertEquals(wholeBlock ? 100 / type.blockSize() * type.blockSize() : 100, e.column());
        }
    }

    @Test
    void halfPrecisionRoundsToNearestEvenAsGgml() {
        float[] x = {1.00048828125f /* tie between 1 and 1 + 2^-10 */, 1.00146484375f /* tie, rounds up to even */,
                65504f, 5.9604645e-8f /* smallest subnormal */, -0.0f};
        short[] expected = {0x3C00, 0x3C02, 0x7BFF, 0x0001, (short) 0x8000};
        byte[] f16 = Quantizer.quantize(GgmlType.F16, x, 1, x.length);
        for (int i = 0; i < x.length; i++) assertEquals(expected[i], BlockBytes.getShort(f16, 2 * i), "F16 of " + x[i]);
        assertThrows(QuantizationException.class, () -> Quantizer.quantize(GgmlType.F16, new float[] {65520f}, 1, 1),
                "65520 rounds to infinity in F16");

        float[] b = {Float.intBitsToFloat(0x3F808000) /* tie, keeps even 0x3F80 */, Float.intBitsToFloat(0x3F818000) /* tie, up to 0x3F82 */,
                Float.intBitsToFloat(0x3F80C000)};
        short[] expectedB = {0x3F80, 0x3F82, 0x3F81};
        byte[] bf16 = Quantizer.quantize(GgmlType.BF16, b, 1, b.length);
        for (int i = 0; i < b.length; i++) {
            assertEquals(expectedB[i], BlockBytes.getShort(bf16, 2 * i), "BF16 of " + b[i]);
            assertEquals(BFloat16.fromFloat(b[i]), BlockBytes.getShort(bf16, 2 * i));
        }
        assertEquals(Float16.fromFloat(3.14159f), BlockBytes.getShort(Quantizer.quantize(GgmlType.F16, new float[] {3.14159f}, 1, 1), 0));
    }

    @Test
    void q8_0RoundsHalfAwayFromZeroLikeRoundf() {
        assertEquals(3, Q8_0Encoder.roundHalfAwayFromZero(2.5f));
        assertEquals(-3, Q8_0Encoder.roundHalfAwayFromZero(-2.5f));
        assertEquals(0, Q8_0Encoder.roundHalfAwayFromZero(0.49999997f), "x + 0.5 in float would round up to 1");
        assertEquals(-127, Q8_0Encoder.roundHalfAwayFromZero(-127.0f));
    }

    @Test
    void nearestIntRoundsTiesToEvenLikeGgml() {
        assertEquals(2, KQuantFits.nearestInt(2.5f));
        assertEquals(4, KQuantFits.nearestInt(3.5f));
        assertEquals(-2, KQuantFits.nearestInt(-2.5f));
        assertEquals(-7, KQuantFits.nearestInt(-6.6f));
        assertEquals(4194303, KQuantFits.nearestInt(4194303f));
    }

    @Test
    void shapesTheTypeCannotHoldAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Quantizer.quantize(GgmlType.Q4_K, new float[128], 1, 128));
        assertThrows(IllegalArgumentException.class, () -> Quantizer.quantize(GgmlType.IQ4_NL, new float[32], 1, 32));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Quantizer.quantize(GgmlType.Q8_0, new float[64], 0, 3, 32, new byte[3 * 34], 0));
    }

    private static float[] roundTrip(GgmlType type, float[] x, int rows, int cols) {
        byte[] bytes = Quantizer.quantize(type, x, rows, cols);
        assertEquals(rows * type.byteSize(cols), bytes.length);
        return Dequantizer.toFloats(type, MemorySegment.ofArray(bytes), (long) rows * cols);
    }
}

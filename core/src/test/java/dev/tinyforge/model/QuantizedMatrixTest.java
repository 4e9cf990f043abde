package dev.tinyforge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.io.gguf.GgufTensorInfo;
import dev.tinyforge.quant.Dequantizer;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.testing.RandomBlocks;
import dev.tinyforge.util.BadInputException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link QuantizedMatrix} (via {@link WeightMatrices}) against the scalar reference: rows decoded by
 * {@link Dequantizer}, multiplied in double. Batch 1 takes the row-by-row dot kernels, 2, 3 and 17 the
 * decode-once tiled path (odd batches leave a token without a pair); odd row counts leave partial
 * register tiles and decoded-row blocks.
 *
 * <p>Error bound relative to Σ|w·x| per output (the terms' size; the result itself may cancel): 1e-6,
 * or 1e-5 for Q4_0/Q4_1 whose dot sums 16× larger terms (see DotKernelTest for the measured values).
 * Random blocks have every quant bit random and realistic F16 scales ({@link RandomBlocks}).
 */
class QuantizedMatrixTest {
    private static final GgmlType[] TYPES = {
        GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1,
        GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
    };

    static double tolerance(GgmlType type) {
        return type == GgmlType.Q4_0 || type == GgmlType.Q4_1 ? 1e-5 : 1e-6;
    }

    static Stream<Arguments> shapes() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (GgmlType type : TYPES) {
            int block = type.blockSize();
            int[] widths = block == 1 ? new int[] {37, 160} : block == 32 ? new int[] {96, 288} : new int[] {256, 512};
            for (int cols : widths) {
                for (int rows : new int[] {1, 7, 37}) cases.add(Arguments.of(type, rows, cols));
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("shapes")
    void multiplyAndRowMatchTheScalarReference(GgmlType type, int rows, int cols) {
        SplittableRandom random = new SplittableRandom(31L * rows + cols + type.ordinal());
        // Shared: the kernels run on the pool's threads, as they do over a mapped file.
        try (Arena arena = Arena.ofShared()) {
            MemorySegment data = RandomBlocks.matrix(arena, type, rows, cols, random.nextLong(), 5);
            WeightMatrix m = WeightMatrices.of(type, rows, cols, data);
            assertInstanceOf(QuantizedMatrix.class, m);
            assertEquals(type.name(), m.typeName());
            float[][] w = reference(type, data, rows, cols);
            for (int batch : new int[] {1, 2, 3, 17}) {
                check(m, w, RandomBlocks.gaussian(random, batch * cols), batch, tolerance(type), type + " batch " + batch);
            }
            float[] row = new float[cols + 2];
            for (int r = 0; r < rows; r++) {
                m.row(r, row, 2);
                float max = 0;
                for (float v : w[r]) max = Math.max(max, Math.abs(v));
                for (int c = 0; c < cols; c++) assertEquals(w[r][c], row[2 + c], Math.ulp(max), type + " row " + r + " col " + c);
            }
        }
    }

    /**
     * dx = dy·W read from the blocks (backpropagation through a quantized base) against decoded rows in
     * double; batches 1, 5 and 17 leave tokens outside the 4-token register tiles, and 96 rows span
     * two decoded row slices.
     */
    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("shapes")
    void transposedProductMatchesTheScalarReference(GgmlType type, int rows, int cols) {
        SplittableRandom random = new SplittableRandom(17L * rows + cols + type.ordinal());
        try (Arena arena = Arena.ofShared()) {
            for (int n : new int[] {rows, rows + 96}) {
                MemorySegment data = RandomBlocks.matrix(arena, type, n, cols, random.nextLong(), 5);
                WeightMatrix m = WeightMatrices.of(type, n, cols, data);
                float[][] w = reference(type, data, n, cols);
                for (int batch : new int[] {1, 5, 17}) {
                    float[] dy = RandomBlocks.gaussian(random, batch * n);
                    float[] dx = new float[batch * cols];
                    java.util.Arrays.fill(dx, Float.NaN); // every entry must be written
                    m.multiplyTransposed(dy, dx, batch);
                    for (int t = 0; t < batch; t++) {
                        for (int c = 0; c < cols; c++) {
                            double expected = 0, magnitude = 0;
                            for (int r = 0; r < n; r++) {
                                expected += (double) dy[t * n + r] * w[r][c];
                                magnitude += Math.abs((double) dy[t * n + r] * w[r][c]);
                            }
                            double error = Math.abs(dx[t * cols + c] - expected);
                            assertTrue(error <= 1e-6 * magnitude, type + " " + n + "x" + cols + " batch " + batch + " token " + t
                                    + " col " + c + ": " + dx[t * cols + c] + " vs " + expected);
                        }
                    }
                }
            }
        }
    }

    /** The weight matrices of llama-quantize's outputs for a small random llama (256 wide, ffn 512). */
    @ParameterizedTest
    @ValueSource(strings = {"rand-Q8_0-pure.gguf", "rand-Q4_0-pure.gguf", "rand-Q4_1-pure.gguf", "rand-Q5_0-pure.gguf",
        "rand-Q5_1-pure.gguf", "rand-Q2_K-pure.gguf", "rand-Q3_K_M.gguf", "rand-Q4_K_M.gguf", "rand-Q5_K_M.gguf",
        "rand-Q6_K-pure.gguf"})
    void llamaQuantizeTensorsMultiplyLikeTheirDecodedRows(String file) throws Exception {
        Path path = Fixtures.require("quant/" + file);
        SplittableRandom random = new SplittableRandom(file.hashCode());
        int checked = 0;
        try (GgufFile gguf = GgufFile.open(path)) {
            for (GgufTensorInfo t : gguf.tensors()) {
                // Layer 0 has every kind of matrix (and the mixes' type choices); the other layers repeat it.
                if (t.shape().length != 2 || t.name().startsWith("blk.") && !t.name().startsWith("blk.0.")) continue;
                int rows = Math.toIntExact(t.rowCount()), cols = Math.toIntExact(t.rowLength());
                WeightMatrix m = WeightMatrices.of(t.type(), rows, cols, t.data());
                float[][] w = new float[rows][cols];
                for (int r = 0; r < rows; r++) t.decodeRow(r, w[r]);
                for (int batch : new int[] {1, 4}) {
                    check(m, w, RandomBlocks.gaussian(random, batch * cols), batch, tolerance(t.type()), file + " " + t.name());
                }
                checked++;
            }
        }
        assertTrue(checked >= 8, "expected layer 0's 7 matrices + embeddings + output, checked " + checked);
    }

    private static float[][] reference(GgmlType type, MemorySegment data, int rows, int cols) {
        float[][] w = new float[rows][cols];
        for (int r = 0; r < rows; r++) Dequantizer.decode(type, data, r * type.byteSize(cols), w[r], 0, cols);
        return w;
    }

    private static void check(WeightMatrix m, float[][] w, float[] x, int batch, double tolerance, String what) {
        int rows = m.rows(), cols = m.cols();
        float[] out = new float[batch * rows];
        m.multiply(x, out, batch);
        for (int t = 0; t < batch; t++) {
            for (int r = 0; r < rows; r++) {
                double expected = 0, magnitude = 0;
                for (int c = 0; c < cols; c++) {
                    expected += (double) w[r][c] * x[t * cols + c];
                    magnitude += Math.abs((double) w[r][c] * x[t * cols + c]);
                }
                double error = Math.abs(out[t * rows + r] - expected);
                assertTrue(error <= tolerance * magnitude, what + " token " + t + " row " + r + ": " + out[t * rows + r]
                        + " vs " + expected + " (error " + error / magnitude + " of Σ|w·x|)");
            }
        }
    }

    @Test
    void f32StaysWithTheMappedFloatMatrix() {
        try (Arena arena = Arena.ofConfined()) {
            assertInstanceOf(MappedF32Matrix.class, WeightMatrices.of(GgmlType.F32, 2, 3, arena.allocate(24)));
        }
    }

    @Test
    void unsupportedTypesAndWrongSizesAreClearErrors() {
        try (Arena arena = Arena.ofConfined()) {
            BadInputException unsupported = assertThrows(BadInputException.class,
                    () -> WeightMatrices.of(GgmlType.IQ4_NL, 1, 32, arena.allocate(18)));
            assertTrue(unsupported.getMessage().contains("IQ4_NL"), unsupported.getMessage());
            IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                    () -> WeightMatrices.of(GgmlType.Q4_0, 2, 64, arena.allocate(71)));
            assertTrue(size.getMessage().contains("72 bytes"), size.getMessage());
            IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                    () -> WeightMatrices.of(GgmlType.Q4_K, 1, 128, arena.allocate(72)));
            assertTrue(width.getMessage().contains("multiple of 256"), width.getMessage());
            assertThrows(IndexOutOfBoundsException.class,
                    () -> WeightMatrices.of(GgmlType.Q8_0, 2, 32, arena.allocate(68)).row(2, new float[32], 0));
        }
    }
}

package dev.tinyforge.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The heap-array products against a double-precision triple loop, over shapes that hit every tail
 * (and more than one 128-row slice in the transposed product); the transposed one has F32MatMul's bits.
 */
class FloatMatMulTest {
    @ParameterizedTest
    @CsvSource({"1,1,1", "4,16,4", "5,17,3", "8,64,9", "13,100,17", "64,576,128", "3,7,5", "37,40,2", "300,48,6", "12,100,7", "40,576,8", "16,576,64", "200,16,64", "200,16,37", "33,24,13"})
    void productsMatchTheScalarOnesAndTheSegmentKernels(int rows, int cols, int batch) {
        SplittableRandom random = new SplittableRandom(rows * 131L + cols * 17L + batch);
        float[] w = gaussian(random, rows * cols), x = gaussian(random, batch * cols), dy = gaussian(random, batch * rows);
        float[] out = new float[batch * rows], dx = new float[batch * cols];
        java.util.Arrays.fill(dx, 99f); // overwritten, not accumulated
        FloatMatMul.multiply(w, rows, cols, x, out, batch);
        FloatMatMul.multiplyTransposed(w, rows, cols, dy, dx, batch);
        for (int t = 0; t < batch; t++) {
            for (int r = 0; r < rows; r++) {
                double expected = 0;
                for (int c = 0; c < cols; c++) expected += (double) w[r * cols + c] * x[t * cols + c];
                assertEquals(expected, out[t * rows + r], 1e-5 * Math.sqrt(cols) * 4, "row " + r + " token " + t);
            }
            for (int c = 0; c < cols; c++) {
                double expected = 0;
                for (int r = 0; r < rows; r++) expected += (double) dy[t * rows + r] * w[r * cols + c];
                assertEquals(expected, dx[t * cols + c], 1e-5 * Math.sqrt(rows) * 4, "token " + t + " column " + c);
            }
        }
        if (cols % 16 == 0 && batch % 4 == 0) {
            float[] segmentDx = new float[dx.length];
            F32MatMul.multiplyTransposed(MemorySegment.ofArray(w), rows, cols, dy, segmentDx, batch);
            assertArrayEquals(segmentDx, dx, "both add one FMA per row in order");
        }
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) random.nextGaussian();
        return a;
    }
}

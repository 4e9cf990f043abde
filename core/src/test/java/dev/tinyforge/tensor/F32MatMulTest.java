package dev.tinyforge.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tiled kernel against a double-precision triple loop, over shapes that hit every tail. */
class F32MatMulTest {
    @ParameterizedTest
    @CsvSource({"1,1,1", "4,16,4", "5,17,3", "8,64,9", "13,100,17", "64,576,128", "3,7,5"})
    void matchesTheScalarProduct(int rows, int cols, int batch) {
        SplittableRandom random = new SplittableRandom(rows * 31L + cols * 7L + batch);
        float[] w = new float[rows * cols], x = new float[batch * cols], out = new float[batch * rows];
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        F32MatMul.multiply(MemorySegment.ofArray(w), rows, cols, x, out, batch);
        for (int t = 0; t < batch; t++) {
            for (int r = 0; r < rows; r++) {
                double expected = 0;
                for (int c = 0; c < cols; c++) expected += (double) w[r * cols + c] * x[t * cols + c];
                assertEquals(expected, out[t * rows + r], 1e-5 * Math.sqrt(cols) * 4, "row " + r + " token " + t);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1,1", "4,16,4", "5,17,3", "8,64,9", "13,100,17", "64,576,128", "3,7,5", "37,40,2"})
    void transposedMatchesTheScalarProduct(int rows, int cols, int batch) {
        SplittableRandom random = new SplittableRandom(rows * 131L + cols * 17L + batch);
        float[] w = new float[rows * cols], dy = new float[batch * rows], dx = new float[batch * cols];
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian();
        for (int i = 0; i < dy.length; i++) dy[i] = (float) random.nextGaussian();
        java.util.Arrays.fill(dx, 99f); // overwritten, not accumulated
        F32MatMul.multiplyTransposed(MemorySegment.ofArray(w), rows, cols, dy, dx, batch);
        for (int t = 0; t < batch; t++) {
            for (int c = 0; c < cols; c++) {
                double expected = 0;
                for (int r = 0; r < rows; r++) expected += (double) dy[t * rows + r] * w[r * cols + c];
                assertEquals(expected, dx[t * cols + c], 1e-5 * Math.sqrt(rows) * 4, "token " + t + " column " + c);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1,1", "4,16,4", "5,17,3", "8,64,9", "13,100,17", "7,33,1", "12,16,5", "6,48,7", "18,24,3", "576,16,9"})
    void addOuterMatchesTheScalarSum(int rows, int cols, int batch) {
        SplittableRandom random = new SplittableRandom(rows * 7L + cols * 3L + batch);
        float[] a = new float[batch * rows], b = new float[batch * cols], grad = new float[rows * cols];
        for (int i = 0; i < a.length; i++) a[i] = (float) random.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) random.nextGaussian();
        for (int i = 0; i < grad.length; i++) grad[i] = (float) random.nextGaussian();
        float[] before = grad.clone();
        VectorMath.addOuter(grad, rows, cols, a, b, batch, 0.5f);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double expected = before[r * cols + c];
                for (int t = 0; t < batch; t++) expected += 0.5 * a[t * rows + r] * b[t * cols + c];
                assertEquals(expected, grad[r * cols + c], 1e-5 * Math.sqrt(batch) * 4, "row " + r + " column " + c);
            }
        }
    }
}

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
}

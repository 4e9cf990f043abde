package dev.tinyforge.model;

/**
 * A weight matrix of {@code rows × cols}, stored however its file stores it (F32, F16, a GGML block
 * type...). The forward pass only multiplies with it, so a quantized matrix stays quantized.
 */
public interface WeightMatrix {
    int rows();

    int cols();

    /** A short name of the storage type for reports, e.g. {@code F32} or {@code Q4_K}. */
    String typeName();

    /**
     * out[t * rows + r] = Σ_c W[r][c] · x[t * cols + c] for t in [0, batch): one matrix product for a
     * batch of activation rows, parallel over the weight rows so each row is read once per batch.
     */
    default void multiply(float[] x, float[] out, int batch) {
        dev.tinyforge.tensor.RowProduct.runAll(product(x, out, batch));
    }

    /**
     * The product of {@link #multiply}, prepared and cut into units of weight rows, so that products of
     * several matrices can run in one parallel call ({@link dev.tinyforge.tensor.RowProduct#runAll}).
     */
    dev.tinyforge.tensor.RowProduct product(float[] x, float[] out, int batch);

    /** Copies row {@code r} as floats into out[off ..] (embedding lookup). */
    void row(int r, float[] out, int off);

    /**
     * dx[t * cols + c] = Σ_r dy[t * rows + r] · W[r][c]: the product with the transpose, which
     * backpropagation needs to pass gradients through a frozen weight. Each task owns a range of
     * columns and sums over rows in order, so the result does not depend on the thread count.
     */
    default void multiplyTransposed(float[] dy, float[] dx, int batch) {
        int rows = rows(), cols = cols();
        java.util.Arrays.fill(dx, 0, batch * cols, 0f);
        int block = 64;
        int blocks = (cols + block - 1) / block;
        dev.tinyforge.tensor.Parallel.forRange(blocks, dev.tinyforge.tensor.Parallel.grain((long) rows * batch * block),
                (from, to) -> {
                    int c0 = from * block, c1 = Math.min(cols, to * block);
                    float[] row = new float[cols];
                    for (int r = 0; r < rows; r++) {
                        row(r, row, 0);
                        for (int t = 0; t < batch; t++) {
                            float g = dy[t * rows + r];
                            if (g != 0f) dev.tinyforge.tensor.VectorMath.axpy(g, row, c0, dx, t * cols + c0, c1 - c0);
                        }
                    }
                });
    }
}

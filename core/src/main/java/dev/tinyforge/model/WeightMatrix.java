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
    void multiply(float[] x, float[] out, int batch);

    /** Copies row {@code r} as floats into out[off ..] (embedding lookup). */
    void row(int r, float[] out, int off);

    /**
     * dx[t * cols + c] = Σ_r dy[t * rows + r] · W[r][c]: the product with the transpose, which
     * backpropagation needs to pass gradients through a frozen weight. Decodes each row once,
     * parallel over chunks of columns so every thread writes its own part of dx.
     */
    default void multiplyTransposed(float[] dy, float[] dx, int batch) {
        int rows = rows(), cols = cols();
        java.util.Arrays.fill(dx, 0, batch * cols, 0f);
        dev.tinyforge.tensor.Parallel.forRange(rows, dev.tinyforge.tensor.Parallel.grain((long) cols * batch), (from, to) -> {
            float[] row = new float[cols];
            float[] partial = new float[batch * cols];
            for (int r = from; r < to; r++) {
                row(r, row, 0);
                for (int t = 0; t < batch; t++) {
                    float g = dy[t * rows + r];
                    if (g != 0f) dev.tinyforge.tensor.VectorMath.axpy(g, row, 0, partial, t * cols, cols);
                }
            }
            synchronized (dx) {
                for (int i = 0; i < partial.length; i++) dx[i] += partial[i];
            }
        });
    }
}

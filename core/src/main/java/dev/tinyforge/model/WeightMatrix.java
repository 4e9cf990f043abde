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
}

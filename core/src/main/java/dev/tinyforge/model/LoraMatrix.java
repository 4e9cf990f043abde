package dev.tinyforge.model;

import dev.tinyforge.tensor.RowProduct;
import dev.tinyforge.tensor.VectorMath;

/**
 * A frozen weight plus a low-rank update, as PEFT's LoRA defines it: y = x Wᵀ + s · (x Aᵀ) Bᵀ with
 * A [rank × in], B [out × rank] and s = alpha / rank (or alpha / √rank for rsLoRA). Used unmerged
 * for inference with an adapter, and by training, which updates {@code a} and {@code b} in place.
 */
public record LoraMatrix(WeightMatrix base, FloatMatrix a, FloatMatrix b, float scale) implements WeightMatrix {
    public LoraMatrix {
        if (a.cols() != base.cols() || b.rows() != base.rows() || a.rows() != b.cols()) {
            throw new IllegalArgumentException("LoRA shapes A " + a.rows() + "x" + a.cols() + ", B " + b.rows() + "x"
                    + b.cols() + " do not fit a " + base.rows() + "x" + base.cols() + " weight");
        }
    }

    public int rank() {
        return a.rows();
    }

    @Override
    public int rows() {
        return base.rows();
    }

    @Override
    public int cols() {
        return base.cols();
    }

    @Override
    public String typeName() {
        return base.typeName() + "+LoRA";
    }

    /**
     * The base's product with the low-rank term added row by row: x Aᵀ is computed first (rank ×
     * cols work), then each unit of base rows adds s · B[r] · (x Aᵀ) to its own outputs.
     */
    @Override
    public RowProduct product(float[] x, float[] out, int batch) {
        int rank = rank(), rows = rows();
        float[] xa = new float[batch * rank];
        a.multiply(x, xa, batch);
        RowProduct baseProduct = base.product(x, out, batch);
        int unit = baseProduct.rowsPerUnit();
        return new RowProduct(rows, unit, baseProduct.workPerUnit() + (long) unit * rank * batch, (from, to) -> {
            baseProduct.run(from, to);
            int r1 = (int) Math.min(rows, (long) to * unit);
            for (int r = from * unit; r < r1; r++) {
                for (int t = 0; t < batch; t++) out[t * rows + r] += scale * VectorMath.dot(b.data(), r * rank, xa, t * rank, rank);
            }
        });
    }

    /** out += s · xa Bᵀ, given xa = x Aᵀ (training keeps xa for the backward pass). */
    public void addLowRank(float[] xa, float[] out, int batch) {
        float[] delta = new float[batch * rows()];
        b.multiply(xa, delta, batch);
        for (int i = 0; i < batch * rows(); i++) out[i] += scale * delta[i];
    }

    @Override
    public void row(int r, float[] out, int off) {
        base.row(r, out, off);
        int rank = rank(), cols = cols();
        for (int j = 0; j < rank; j++) {
            float coefficient = scale * b.data()[r * rank + j];
            if (coefficient != 0f) VectorMath.axpy(coefficient, a.data(), j * cols, out, off, cols);
        }
    }
}

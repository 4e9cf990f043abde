package dev.tinyforge.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * out[t·rows + r] = Σ_c W[r][c]·x[t·cols + c] for a float32 W read from a memory segment (a mapped
 * file, or a heap array wrapped as one). Tiles of 4 weight rows × 4 activation rows keep 16
 * accumulators in registers, so each vector loaded feeds four FMAs instead of one: the plain
 * row-by-token dot product is bound by loads, not arithmetic.
 */
public final class F32MatMul {
    private static final VectorSpecies<Float> F = VectorMath.F;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int TILE = 4;

    private F32MatMul() {}

    public static void multiply(MemorySegment w, int rows, int cols, float[] x, float[] out, int batch) {
        RowProduct.runAll(product(w, rows, cols, x, out, batch));
    }

    /** {@link #multiply} in units of {@link #TILE} weight rows. */
    public static RowProduct product(MemorySegment w, int rows, int cols, float[] x, float[] out, int batch) {
        return new RowProduct(rows, TILE, (long) TILE * cols * batch, (from, to) -> {
            for (int block = from; block < to; block++) rowBlock(w, block * TILE, rows, cols, x, out, batch);
        });
    }

    private static void rowBlock(MemorySegment w, int r0, int rows, int cols, float[] x, float[] out, int batch) {
        int rowCount = Math.min(TILE, rows - r0);
        int t = 0;
        if (rowCount == TILE && cols >= F.length()) {
            for (; t + TILE <= batch; t += TILE) tile4x4(w, r0, cols, x, t, out, rows);
        }
        for (; t < batch; t++) {
            for (int r = r0; r < r0 + rowCount; r++) {
                out[t * rows + r] = VectorMath.dot(w, 4L * r * cols, x, t * cols, cols);
            }
        }
    }

    private static void tile4x4(MemorySegment w, int r0, int cols, float[] x, int t0, float[] out, int rows) {
        long w0 = 4L * r0 * cols, w1 = w0 + 4L * cols, w2 = w1 + 4L * cols, w3 = w2 + 4L * cols;
        int x0 = t0 * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int bound = F.loopBound(cols);
        int c = 0;
        for (; c < bound; c += F.length()) {
            FloatVector v0 = FloatVector.fromArray(F, x, x0 + c);
            FloatVector v1 = FloatVector.fromArray(F, x, x1 + c);
            FloatVector v2 = FloatVector.fromArray(F, x, x2 + c);
            FloatVector v3 = FloatVector.fromArray(F, x, x3 + c);
            FloatVector k = FloatVector.fromMemorySegment(F, w, w0 + 4L * c, LE);
            a00 = k.fma(v0, a00);
            a01 = k.fma(v1, a01);
            a02 = k.fma(v2, a02);
            a03 = k.fma(v3, a03);
            k = FloatVector.fromMemorySegment(F, w, w1 + 4L * c, LE);
            a10 = k.fma(v0, a10);
            a11 = k.fma(v1, a11);
            a12 = k.fma(v2, a12);
            a13 = k.fma(v3, a13);
            k = FloatVector.fromMemorySegment(F, w, w2 + 4L * c, LE);
            a20 = k.fma(v0, a20);
            a21 = k.fma(v1, a21);
            a22 = k.fma(v2, a22);
            a23 = k.fma(v3, a23);
            k = FloatVector.fromMemorySegment(F, w, w3 + 4L * c, LE);
            a30 = k.fma(v0, a30);
            a31 = k.fma(v1, a31);
            a32 = k.fma(v2, a32);
            a33 = k.fma(v3, a33);
        }
        // Reduce each accumulator where it is: collecting them in an array would box every vector.
        store(a00, w, r0, cols, x, t0, c, out, rows);
        store(a01, w, r0, cols, x, t0 + 1, c, out, rows);
        store(a02, w, r0, cols, x, t0 + 2, c, out, rows);
        store(a03, w, r0, cols, x, t0 + 3, c, out, rows);
        store(a10, w, r0 + 1, cols, x, t0, c, out, rows);
        store(a11, w, r0 + 1, cols, x, t0 + 1, c, out, rows);
        store(a12, w, r0 + 1, cols, x, t0 + 2, c, out, rows);
        store(a13, w, r0 + 1, cols, x, t0 + 3, c, out, rows);
        store(a20, w, r0 + 2, cols, x, t0, c, out, rows);
        store(a21, w, r0 + 2, cols, x, t0 + 1, c, out, rows);
        store(a22, w, r0 + 2, cols, x, t0 + 2, c, out, rows);
        store(a23, w, r0 + 2, cols, x, t0 + 3, c, out, rows);
        store(a30, w, r0 + 3, cols, x, t0, c, out, rows);
        store(a31, w, r0 + 3, cols, x, t0 + 1, c, out, rows);
        store(a32, w, r0 + 3, cols, x, t0 + 2, c, out, rows);
        store(a33, w, r0 + 3, cols, x, t0 + 3, c, out, rows);
    }

    /** Writes one output: the accumulator's lanes plus the scalar tail from column {@code c} on. */
    private static void store(FloatVector acc, MemorySegment w, int r, int cols, float[] x, int t, int c, float[] out,
                              int rows) {
        float sum = VectorMath.sumLanes(acc);
        long wr = 4L * r * cols;
        int xr = t * cols;
        for (; c < cols; c++) sum += w.get(VectorMath.F32_LE, wr + 4L * c) * x[xr + c];
        out[t * rows + r] = sum;
    }

    /**
     * dx[t·cols + c] = Σ_r dy[t·rows + r]·W[r][c] (the product with Wᵀ, for backpropagation). Tiles of
     * 4 activation rows × 2 vectors of columns keep 8 accumulators in registers while r runs, so each
     * weight vector loaded feeds four FMAs; each task owns whole column blocks and sums over r in
     * order, so the result does not depend on the thread count.
     */
    public static void multiplyTransposed(MemorySegment w, int rows, int cols, float[] dy, float[] dx, int batch) {
        int width = 2 * F.length();
        int blocks = (cols + width - 1) / width;
        Parallel.forRange(blocks, Parallel.grain((long) rows * batch * width), (from, to) -> {
            for (int block = from; block < to; block++) {
                int c0 = block * width;
                if (c0 + width <= cols) {
                    int t = 0;
                    for (; t + TILE <= batch; t += TILE) transposedTile(w, rows, cols, dy, dx, t, c0);
                    for (; t < batch; t++) transposedScalar(w, rows, cols, dy, dx, t, c0, c0 + width);
                } else {
                    for (int t = 0; t < batch; t++) transposedScalar(w, rows, cols, dy, dx, t, c0, cols);
                }
            }
        });
    }

    private static void transposedTile(MemorySegment w, int rows, int cols, float[] dy, float[] dx, int t0, int c0) {
        int step = F.length();
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        int y0 = t0 * rows, y1 = y0 + rows, y2 = y1 + rows, y3 = y2 + rows;
        for (int r = 0; r < rows; r++) {
            long off = 4L * ((long) r * cols + c0);
            FloatVector lo = FloatVector.fromMemorySegment(F, w, off, LE);
            FloatVector hi = FloatVector.fromMemorySegment(F, w, off + 4L * step, LE);
            FloatVector g = FloatVector.broadcast(F, dy[y0 + r]);
            a0 = lo.fma(g, a0);
            b0 = hi.fma(g, b0);
            g = FloatVector.broadcast(F, dy[y1 + r]);
            a1 = lo.fma(g, a1);
            b1 = hi.fma(g, b1);
            g = FloatVector.broadcast(F, dy[y2 + r]);
            a2 = lo.fma(g, a2);
            b2 = hi.fma(g, b2);
            g = FloatVector.broadcast(F, dy[y3 + r]);
            a3 = lo.fma(g, a3);
            b3 = hi.fma(g, b3);
        }
        a0.intoArray(dx, t0 * cols + c0);
        b0.intoArray(dx, t0 * cols + c0 + step);
        a1.intoArray(dx, (t0 + 1) * cols + c0);
        b1.intoArray(dx, (t0 + 1) * cols + c0 + step);
        a2.intoArray(dx, (t0 + 2) * cols + c0);
        b2.intoArray(dx, (t0 + 2) * cols + c0 + step);
        a3.intoArray(dx, (t0 + 3) * cols + c0);
        b3.intoArray(dx, (t0 + 3) * cols + c0 + step);
    }

    private static void transposedScalar(MemorySegment w, int rows, int cols, float[] dy, float[] dx, int t, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            float sum = 0;
            for (int r = 0; r < rows; r++) sum = Math.fma(dy[t * rows + r], w.get(VectorMath.F32_LE, 4L * ((long) r * cols + c)), sum);
            dx[t * cols + c] = sum;
        }
    }
}

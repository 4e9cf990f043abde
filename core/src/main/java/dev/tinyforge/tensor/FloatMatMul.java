package dev.tinyforge.tensor;

/**
 * Products with a float32 matrix held in a heap array (row-major, rows × cols), through the
 * register tiles of {@link TileMultiply}: plain array loads, without the bounds checks of memory
 * segment access that {@link F32MatMul} (for mapped files) pays. Each output is summed in a fixed
 * order (over c for the product, over r for the transposed one), so results do not depend on the
 * thread count.
 */
public final class FloatMatMul {
    /** Weight rows per unit of {@link #multiply}: one packed panel ({@link TileMultiply#PANEL} rows, in L2). */
    private static final int ROW_BLOCK = TileMultiply.PANEL;
    /** Columns per task of {@link #multiplyTransposed}: a 4-vector tile and a 2-vector one; 576 and 1536 columns split evenly over two threads. */
    private static final int SPAN = 6 * VectorMath.F.length();
    /** Weight rows per pass of {@link #multiplyTransposed}: a 128 × 32 slice (16 KiB) stays in L1 while every token passes. */
    private static final int SLICE = 128;

    private FloatMatMul() {}

    /** out[t·rows + r] = Σ_c w[r·cols + c] · x[t·cols + c]. */
    public static void multiply(float[] w, int rows, int cols, float[] x, float[] out, int batch) {
        if (rows < ROW_BLOCK && batch > 1) {
            // Fewer rows than one unit (a LoRA factor's 16) would run on one thread: the tokens are shared
            // out instead, in quads, so each token meets the same kernel whichever task takes it.
            int quads = (batch + 3) / 4;
            Parallel.forRange(quads, Parallel.grain(4L * rows * cols), (from, to) -> TileMultiply.multiplyTokens(w, 0, rows,
                    cols, x, 4 * from, Math.min(batch, 4 * to), out, rows, 0));
            return;
        }
        RowProduct.runAll(product(w, rows, cols, x, out, batch));
    }

    /** {@link #multiply} in units of {@link #ROW_BLOCK} weight rows. */
    public static RowProduct product(float[] w, int rows, int cols, float[] x, float[] out, int batch) {
        return new RowProduct(rows, ROW_BLOCK, (long) ROW_BLOCK * cols * batch, (from, to) -> {
            float[] panel = batch < TileMultiply.PACKED_FROM_BATCH ? null : new float[cols * ROW_BLOCK];
            for (int b = from; b < to; b++) {
                int r0 = b * ROW_BLOCK;
                TileMultiply.multiplyPacked(w, r0 * cols, Math.min(ROW_BLOCK, rows - r0), cols, x, batch, out, rows, r0, panel);
            }
        });
    }

    /** dx[t·cols + c] = Σ_r dy[t·rows + r] · w[r·cols + c], summed over r in order. */
    public static void multiplyTransposed(float[] w, int rows, int cols, float[] dy, float[] dx, int batch) {
        if (rows == 0) {
            java.util.Arrays.fill(dx, 0, batch * cols, 0f);
            return;
        }
        if (cols < SPAN) {
            // Too few columns to share out (a LoRA factor's 16): the tokens are shared out instead; each
            // token's sums are the same whichever task takes it.
            Parallel.forRange(batch, Parallel.grain((long) rows * cols), (from, to) -> {
                for (int r0 = 0; r0 < rows; r0 += SLICE) {
                    TileMultiply.addTransposed(w, r0 * cols, cols, Math.min(SLICE, rows - r0), cols, dy, rows, from * rows + r0,
                            dx, cols, from * cols, to - from, r0 == 0);
                }
            });
            return;
        }
        int spans = (cols + SPAN - 1) / SPAN;
        Parallel.forRange(spans, Parallel.grain((long) rows * batch * SPAN), (from, to) -> {
            for (int s = from; s < to; s++) {
                int c0 = s * SPAN, width = Math.min(SPAN, cols - c0);
                for (int r0 = 0; r0 < rows; r0 += SLICE) {
                    TileMultiply.addTransposed(w, r0 * cols + c0, cols, Math.min(SLICE, rows - r0), width, dy, rows, r0, dx, cols,
                            c0, batch, r0 == 0);
                }
            }
        });
    }
}

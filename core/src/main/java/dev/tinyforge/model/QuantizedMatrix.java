package dev.tinyforge.model;

import dev.tinyforge.quant.DotKernel;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.tensor.RowProduct;
import dev.tinyforge.tensor.TileMultiply;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;

/**
 * A weight matrix of a ggml block type (or F16/BF16) read in place from a mapped file: rows stay
 * quantized, and the {@link DotKernel} picked at construction reads their blocks directly.
 *
 * <p>Small batches (token generation) dot every row with each prepared activation row, streaming each
 * weight block once per call. Larger batches (prompt processing, training) decode a block of rows to
 * floats once and multiply it with every activation row in register tiles
 * ({@link TileMultiply#multiplyPacked}), so the decoding cost is shared by the batch.
 *
 * <p>The kernel's row loops are called through method handles held in instance fields, which C2
 * does not inline: each kernel's loops then compile on their own (see {@link DotKernel#dotRows}), and
 * a model mixing weight types cannot make C2 merge two kernels into one over-budget compilation.
 */
public final class QuantizedMatrix implements WeightMatrix {
    /**
     * From this batch on, rows are decoded once and multiplied as floats: at batch 2 that was as fast as
     * two fused dots for Q4_0 and 1.3–1.4× faster for Q4_K and Q6_K (one core, Zen 3, 2026-11-22).
     */
    static final int TILED_FROM_BATCH = 2;
    /** Rows decoded together in the tiled path: one packed panel, 16 × 1536 floats (96 KiB) in L2 with AVX2. */
    static final int DECODED_ROWS = TileMultiply.PANEL;
    /** Rows decoded together for a batch too small to pack: one 4-row tile of {@link TileMultiply#multiply}. */
    static final int SMALL_BATCH_ROWS = 4;
    /** Rows decoded together by {@link #multiplyTransposed}: 64 × a 32-column span is 8 KiB, in L1. */
    static final int TRANSPOSED_ROWS = 64;

    private final GgmlType type;
    private final int rows, cols;
    private final long rowBytes;
    private final MemorySegment data;
    private final DotKernel kernel;
    private final MethodHandle dotRows, decodeRows;

    public QuantizedMatrix(GgmlType type, int rows, int cols, MemorySegment data) {
        this.type = Objects.requireNonNull(type);
        this.kernel = DotKernel.of(type);
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException(type + " rows need a multiple of " + type.blockSize() + " values, got " + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = type.byteSize(cols);
        if (data.byteSize() != rowBytes * rows) {
            throw new IllegalArgumentException(rows + "x" + cols + " " + type + " matrix needs " + rowBytes * rows
                    + " bytes, got " + data.byteSize());
        }
        this.data = data;
        this.dotRows = KernelCalls.DOT_ROWS.bindTo(kernel);
        this.decodeRows = KernelCalls.DECODE_ROWS.bindTo(kernel);
    }

    /** The unbound handles of the row loops. */
    private static final class KernelCalls {
        static final MethodHandle DOT_ROWS, DECODE_ROWS;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                DOT_ROWS = lookup.findVirtual(DotKernel.class, "dotRows", MethodType.methodType(void.class, MemorySegment.class,
                        long.class, int.class, int.class, int.class, float[].class, int.class, int.class, float[].class, int.class,
                        float[].class));
                DECODE_ROWS = lookup.findVirtual(DotKernel.class, "decodeRows", MethodType.methodType(void.class,
                        MemorySegment.class, long.class, int.class, int.class, int.class, float[].class, int.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public String typeName() {
        return type.name();
    }

    public GgmlType type() {
        return type;
    }

    @Override
    public RowProduct product(float[] x, float[] out, int batch) {
        return batch >= TILED_FROM_BATCH ? tiledProduct(x, out, batch) : dotProduct(x, out, batch);
    }

    /** Each row dotted with every prepared activation row; units of one weight row. */
    private RowProduct dotProduct(float[] x, float[] out, int batch) {
        int prepared = kernel.preparedLength(cols);
        float[] act = new float[prepared * batch];
        for (int t = 0; t < batch; t++) kernel.prepare(x, t * cols, cols, act, t * prepared);
        return new RowProduct(rows, 1, (long) cols * batch, (from, to) -> {
            float[] scratch = new float[DotKernel.SCRATCH];
            try {
                dotRows.invokeExact(data, rowBytes, cols, from, to, act, prepared, batch, out, rows, scratch);
            } catch (Throwable e) {
                throw rethrow(e);
            }
        });
    }

    /** Rows decoded once per call and multiplied as floats; units of {@link #DECODED_ROWS} rows. */
    private RowProduct tiledProduct(float[] x, float[] out, int batch) {
        Parallel.RangeTask task = batch < TileMultiply.PACKED_FROM_BATCH
                ? (from, to) -> multiplyFewTokens(from, to, x, out, batch)
                : (from, to) -> multiplyPanels(from, to, x, out, batch);
        return new RowProduct(rows, DECODED_ROWS, (long) DECODED_ROWS * cols * batch, task);
    }

    /** Units [from, to): each decoded once, then packed and multiplied with every token. */
    private void multiplyPanels(int from, int to, float[] x, float[] out, int batch) {
        float[] decoded = new float[DECODED_ROWS * cols], panel = new float[DECODED_ROWS * cols];
        for (int blk = from; blk < to; blk++) {
            int r0 = blk * DECODED_ROWS, n = Math.min(DECODED_ROWS, rows - r0);
            decode(r0, n, decoded, 0);
            TileMultiply.multiplyPacked(decoded, 0, n, cols, x, batch, out, rows, r0, panel);
        }
    }

    /** Units [from, to) for a few tokens (a server's decode step): four rows decoded at a time stay in L1 while every token meets them. */
    private void multiplyFewTokens(int from, int to, float[] x, float[] out, int batch) {
        float[] decoded = new float[SMALL_BATCH_ROWS * cols];
        int end = Math.min(rows, to * DECODED_ROWS);
        for (int r0 = from * DECODED_ROWS; r0 < end; r0 += SMALL_BATCH_ROWS) {
            int n = Math.min(SMALL_BATCH_ROWS, end - r0);
            decode(r0, n, decoded, 0);
            TileMultiply.multiply(decoded, 0, n, cols, x, batch, out, rows, r0);
        }
    }

    /**
     * dx = dy·W (backpropagation through the frozen weight) without a float copy of W: each task owns
     * a span of columns (whole blocks), decodes that span of {@link #TRANSPOSED_ROWS} rows at a time
     * and adds their products into dx in row order, so sums do not depend on the thread count.
     */
    @Override
    public void multiplyTransposed(float[] dy, float[] dx, int batch) {
        int span = transposedSpan();
        int spans = (cols + span - 1) / span;
        long spanBytes = type.byteSize(span);
        Parallel.forRange(spans, 1, (from, to) -> {
            float[] decoded = new float[TRANSPOSED_ROWS * span];
            for (int s = from; s < to; s++) {
                int c0 = s * span, width = Math.min(span, cols - c0);
                MemorySegment columns = data.asSlice(s * spanBytes);
                for (int r0 = 0; r0 < rows; r0 += TRANSPOSED_ROWS) {
                    int n = Math.min(TRANSPOSED_ROWS, rows - r0);
                    try {
                        decodeRows.invokeExact(columns, rowBytes, width, r0, n, decoded, 0);
                    } catch (Throwable e) {
                        throw rethrow(e);
                    }
                    TileMultiply.addTransposed(decoded, 0, width, n, width, dy, rows, r0, dx, cols, c0, batch, r0 == 0);
                }
            }
        });
    }

    /**
     * Columns per task of {@link #multiplyTransposed}: whole blocks and whole register tiles, narrow
     * enough that a 576-wide matrix still splits evenly over two threads.
     */
    private int transposedSpan() {
        int tile = 2 * dev.tinyforge.tensor.VectorMath.F.length();
        int block = type.blockSize();
        int span = block * tile / gcd(block, tile);
        while (span < 32) span *= 2;
        return Math.min(span, Math.max(block, cols));
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    @Override
    public void row(int r, float[] out, int off) {
        Objects.checkIndex(r, rows);
        Objects.checkFromIndexSize(off, cols, out.length);
        decode(r, 1, out, off);
    }

    private void decode(int from, int count, float[] dst, int dstOff) {
        try {
            decodeRows.invokeExact(data, rowBytes, cols, from, count, dst, dstOff);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) return r;
        if (e instanceof Error err) throw err;
        return new IllegalStateException(e);
    }

    @Override
    public String toString() {
        return rows + "x" + cols + " " + type;
    }
}

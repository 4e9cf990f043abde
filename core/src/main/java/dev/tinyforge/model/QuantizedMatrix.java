package dev.tinyforge.model;

import dev.tinyforge.quant.DotKernel;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.tensor.Parallel;
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
 * weight block once per call. Larger batches (prompt processing) decode a block of rows to floats once
 * and multiply it with every activation row in register tiles ({@link TileMultiply}), so the decoding
 * cost is shared by the batch.
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
    /** Rows decoded together in the tiled path: 16 × 1536 floats (96 KiB) stay in L2; 64 rows measured the same. */
    static final int DECODED_ROWS = 16;

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
    public void multiply(float[] x, float[] out, int batch) {
        if (batch >= TILED_FROM_BATCH) multiplyTiled(x, out, batch);
        else multiplyRows(x, out, batch);
    }

    private void multiplyRows(float[] x, float[] out, int batch) {
        int prepared = kernel.preparedLength(cols);
        float[] act = new float[prepared * batch];
        for (int t = 0; t < batch; t++) kernel.prepare(x, t * cols, cols, act, t * prepared);
        Parallel.forRange(rows, Parallel.grain((long) cols * batch), (from, to) -> {
            float[] scratch = new float[DotKernel.SCRATCH];
            try {
                dotRows.invokeExact(data, rowBytes, cols, from, to, act, prepared, batch, out, rows, scratch);
            } catch (Throwable e) {
                throw rethrow(e);
            }
        });
    }

    private void multiplyTiled(float[] x, float[] out, int batch) {
        int blocks = (rows + DECODED_ROWS - 1) / DECODED_ROWS;
        Parallel.forRange(blocks, 1, (from, to) -> {
            float[] decoded = new float[DECODED_ROWS * cols];
            for (int blk = from; blk < to; blk++) {
                int r0 = blk * DECODED_ROWS, n = Math.min(DECODED_ROWS, rows - r0);
                decode(r0, n, decoded, 0);
                TileMultiply.multiply(decoded, 0, n, cols, x, batch, out, rows, r0);
            }
        });
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

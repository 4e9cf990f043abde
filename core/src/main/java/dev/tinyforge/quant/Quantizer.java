package dev.tinyforge.quant;

import dev.tinyforge.tensor.Parallel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Encodes float rows as ggml tensor types, byte for byte as llama.cpp's {@code llama-quantize} does
 * without an importance matrix ({@code ggml_quantize_chunk} with {@code quant_weights == NULL}, which
 * runs the {@code quantize_row_*_ref} functions). Rows are independent, so they are spread over
 * {@link Parallel}'s threads; the bytes do not depend on the thread count.
 *
 * <p>Input must be finite: a NaN or infinity is a {@link QuantizationException} naming its row and
 * column. (llama.cpp turns most of them into a NaN or infinite scale and then rejects the tensor in
 * {@code ggml_validate_row_data}, but a NaN can also slip through its comparisons into silently
 * wrong levels; we refuse them all.) Finite values so large that a block's F16 scale (or an F16/BF16
 * value) overflows are refused too, as llama.cpp's validation does. For block types we also refuse
 * any |value| above {@link #MAX_BLOCK_MAGNITUDE} up front: every block type's F16 scale has
 * overflowed long before that (Q6_K, the most tolerant, near 2.7e8), but far above it the k-quant
 * searches square and cube values into infinities, get a NaN scale, and ggml then stores the block as
 * zeros without complaint.
 *
 * <pre>{@code
 * byte[] q4k = Quantizer.quantize(GgmlType.Q4_K, weights, rows, cols);   // rows * cols floats
 * }</pre>
 */
public final class Quantizer {
    private Quantizer() {}

    /** Above this magnitude a block type cannot hold a value (see the class comment). */
    public static final float MAX_BLOCK_MAGNITUDE = 1e10f;

    private static final Set<GgmlType> SUPPORTED = EnumSet.of(
            GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0,
            GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);

    /** Whether values can be encoded as {@code type}. */
    public static boolean supports(GgmlType type) {
        return SUPPORTED.contains(type);
    }

    /** The types {@link #supports} accepts. */
    public static Set<GgmlType> supportedTypes() {
        return EnumSet.copyOf(SUPPORTED);
    }

    /** {@code rows x cols} values (row-major) encoded as {@code type}: {@code rows * type.byteSize(cols)} bytes. */
    public static byte[] quantize(GgmlType type, float[] values, int rows, int cols) {
        long bytes = checkShape(type, rows, cols) * rows;
        if (bytes > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(bytes + " bytes do not fit in one array");
        byte[] out = new byte[(int) bytes];
        quantize(type, values, 0, rows, cols, out, 0);
        return out;
    }

    /**
     * Encodes the {@code rows x cols} values at {@code src[srcOffset]} as {@code type} into
     * {@code dst[dstOffset ..]}, one row after another. A caller streaming a large tensor passes a
     * range of rows at a time; rows in exceptions count from {@code srcOffset}.
     */
    public static void quantize(GgmlType type, float[] src, int srcOffset, int rows, int cols, byte[] dst, int dstOffset) {
        int rowBytes = (int) checkShape(type, rows, cols);
        if (srcOffset < 0 || (long) srcOffset + (long) rows * cols > src.length) {
            throw new IndexOutOfBoundsException(rows + " rows of " + cols + " from " + srcOffset + " exceed " + src.length + " values");
        }
        if (dstOffset < 0 || (long) dstOffset + (long) rows * rowBytes > dst.length) {
            throw new IndexOutOfBoundsException(rows + " rows of " + rowBytes + " bytes from " + dstOffset
                    + " exceed " + dst.length + " bytes");
        }
        // the first failing row wins, whatever thread finds it, so the error does not depend on scheduling
        AtomicReference<QuantizationException> firstError = new AtomicReference<>();
        Parallel.forRange(rows, Parallel.grain((long) cols * workPerValue(type)), (from, to) -> {
            BlockEncoder encoder = BlockEncoder.forType(type);
            for (int r = from; r < to; r++) {
                try {
                    int in = srcOffset + r * cols, out = dstOffset + r * rowBytes;
                    checkEncodable(type, src, in, cols, r);
                    encoder.encode(src, in, cols, dst, out);
                    EncodedRowCheck.check(type, dst, out, cols, r);
                } catch (QuantizationException e) {
                    firstError.accumulateAndGet(e, (a, b) -> a == null || b.row() < a.row() ? b : a);
                    return;
                }
            }
        });
        if (firstError.get() != null) throw firstError.get();
    }

    /** As {@link #quantize(GgmlType, float[], int, int, int, byte[], int)}, writing into a segment (heap, native or mapped). */
    public static void quantize(GgmlType type, float[] src, int srcOffset, int rows, int cols, MemorySegment dst, long dstOffset) {
        int rowBytes = (int) checkShape(type, rows, cols);
        int chunkRows = Math.max(1, STAGING_BYTES / Math.max(1, rowBytes));
        byte[] staging = new byte[Math.min(rows, chunkRows) * rowBytes];
        for (int first = 0; first < rows; first += chunkRows) {
            int count = Math.min(chunkRows, rows - first);
            try {
                quantize(type, src, srcOffset + first * cols, count, cols, staging, 0);
            } catch (QuantizationException e) {
                throw e.shiftedBy(first);
            }
            MemorySegment.copy(staging, 0, dst, ValueLayout.JAVA_BYTE, dstOffset + (long) first * rowBytes, count * rowBytes);
        }
    }

    /** Rows are encoded into a heap buffer of about this size, then copied into a segment. */
    private static final int STAGING_BYTES = 1 << 20;

    /** Bytes per row; rejects shapes the type cannot hold. */
    private static long checkShape(GgmlType type, int rows, int cols) {
        if (!supports(type)) throw new IllegalArgumentException("cannot encode " + type + "; supported: " + SUPPORTED);
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException("a " + type + " row needs a multiple of " + type.blockSize() + " values, got " + cols);
        }
        long rowBytes = type.byteSize(cols);
        if (rowBytes > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("a row of " + cols + " values is too long");
        return rowBytes;
    }

    private static void checkEncodable(GgmlType type, float[] src, int at, int count, int row) {
        float limit = type.isQuantized() ? MAX_BLOCK_MAGNITUDE : Float.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            float v = src[at + i];
            if (!(Math.abs(v) <= limit)) {
                throw new QuantizationException(row, i, Float.isFinite(v) ? "value " + v + " is too large for " + type
                        : "value " + v + " is not finite");
            }
        }
    }

    /** Rough float operations per value, so that parallel chunks are neither tiny nor few. */
    private static int workPerValue(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16 -> 1;
            case Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 -> 8;
            default -> 200; // the k-quants search 16 to 21 candidate scales per sub-block
        };
    }
}

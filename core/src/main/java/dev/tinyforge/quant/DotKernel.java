package dev.tinyforge.quant;

import dev.tinyforge.util.BadInputException;
import java.lang.foreign.MemorySegment;

/**
 * The vectorized kernels of one ggml weight type, reading blocks straight from a (mapped) segment:
 * the dot product of one weight row with one activation row, and the decoding of a row to floats.
 *
 * <p>Activations are {@linkplain #prepare prepared} once per call and token (group sums for the
 * types with offsets or mins, and so on) and then dotted with every row; that per-token cost is
 * O(cols), the dots are O(rows × cols). Results agree with decoding by {@link BlockDecoder} and
 * multiplying in double up to float rounding (no activation quantization as in ggml), see the tests.
 * Values of every kernel are those of a decoded block; only the order of summation differs.
 *
 * <p>Chosen once per matrix by {@link #of}: kernels hold no per-call state and are thread-safe.
 */
public sealed interface DotKernel
        permits Q8_0Kernel, Q4_0Kernel, Q4_1Kernel, Q5_0Kernel, Q5_1Kernel,
                Q2KKernel, Q3KKernel, Q4KKernel, Q5KKernel, Q6KKernel, HalfKernel {

    GgmlType type();

    /** Floats that {@link #prepare} writes for one activation row of {@code cols} values. */
    int preparedLength(int cols);

    /** Prepares x[xOff .. xOff + cols) for {@link #dot} into act[actOff .. actOff + preparedLength(cols)). */
    void prepare(float[] x, int xOff, int cols, float[] act, int actOff);

    /**
     * Σ_c W[c] · x[c] for the row of {@code cols} values (a whole number of blocks) stored at byte
     * {@code off} of {@code w}, with x prepared at act[actOff ..]. {@code scratch} holds at least
     * {@link #SCRATCH} floats; kernels that convert a chunk before multiplying use it.
     */
    float dot(MemorySegment w, long off, float[] act, int actOff, int cols, float[] scratch);

    /** Decodes the row of {@code cols} values at byte {@code off} of {@code w} into dst[dstOff ..]. */
    void decode(MemorySegment w, long off, float[] dst, int dstOff, int cols);

    /*
     * The row loops below are written out in every kernel, not shared: a shared loop calling dot or
     * decode through this interface lets C2 inline two kernels into one compilation when a model uses
     * two weight types, which exceeds C2's inlining node budget and leaves the vectors boxed
     * (3.4 MB allocated and 10× slower per Q8_0 mat-vec, seen with 2 threads). Each kernel's own
     * loop sees only its own kernel. QuantizedMatrix calls them through method handles, which C2
     * does not inline into its callers.
     */

    /**
     * out[t * outStride + r] = dot of row r with prepared activation row t (at act[t * prepared ..]),
     * for r in [from, to) and t in [0, batch); rows are {@code rowBytes} apart in {@code w}.
     */
    void dotRows(MemorySegment w, long rowBytes, int cols, int from, int to, float[] act, int prepared, int batch,
                 float[] out, int outStride, float[] scratch);

    /** Decodes rows [from, from + count) into dst[dstOff ..], {@code cols} floats each. */
    void decodeRows(MemorySegment w, long rowBytes, int cols, int from, int count, float[] dst, int dstOff);

    /** Floats of scratch that {@link #dot} may use. */
    int SCRATCH = 256;

    /** Whether {@link #of} has a kernel for {@code type}. */
    static boolean supports(GgmlType type) {
        return switch (type) {
            case F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K -> true;
            default -> false;
        };
    }

    /** The kernel for weights of {@code type}; F32 has its own matrix classes and is not here. */
    static DotKernel of(GgmlType type) {
        return switch (type) {
            case F16 -> HalfKernel.F16;
            case BF16 -> HalfKernel.BF16;
            case Q8_0 -> Q8_0Kernel.INSTANCE;
            case Q4_0 -> Q4_0Kernel.INSTANCE;
            case Q4_1 -> Q4_1Kernel.INSTANCE;
            case Q5_0 -> Q5_0Kernel.INSTANCE;
            case Q5_1 -> Q5_1Kernel.INSTANCE;
            case Q2_K -> Q2KKernel.INSTANCE;
            case Q3_K -> Q3KKernel.INSTANCE;
            case Q4_K -> Q4KKernel.INSTANCE;
            case Q5_K -> Q5KKernel.INSTANCE;
            case Q6_K -> Q6KKernel.INSTANCE;
            default -> throw new BadInputException("no matrix kernel for tensor type " + type + " (ggml id " + type.id()
                    + "); supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K");
        };
    }
}

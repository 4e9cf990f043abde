package dev.tinyforge.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float kernels on the Vector API with a scalar tail. The species is fixed when the class loads:
 * {@code -Dtinyforge.vector.bits=128|256|512} picks the width (512-bit is not always fastest; a width
 * above the CPU's is capped to it), the default is the CPU's preferred one.
 */
public final class VectorMath {
    public static final VectorSpecies<Float> F = species(Integer.getInteger("tinyforge.vector.bits", 0));
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    private VectorMath() {}

    /**
     * The species for a requested width, capped at the CPU's: a wider species than the hardware
     * has is not compiled to vector instructions and runs ~30x slower (measured: 512-bit on an
     * AVX2-only VM, 1 vs 30 GFLOP/s in F32MatMul).
     */
    private static VectorSpecies<Float> species(int bits) {
        if (bits > FloatVector.SPECIES_PREFERRED.vectorBitSize()) return FloatVector.SPECIES_PREFERRED;
        return switch (bits) {
            case 0 -> FloatVector.SPECIES_PREFERRED;
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("tinyforge.vector.bits must be 128, 256 or 512, got " + bits);
        };
    }

    /**
     * The lanes' sum in a fixed tree order: lanes i and i + L/2 first, then i and i + L/4, and so on.
     * {@code reduceLanes(ADD)} may add in another order once the JIT compiles it than while
     * interpreted, so results would depend on warm-up timing; a fixed order keeps training bit-for-bit
     * reproducible. The tree takes log2(L) shuffle-and-add steps: adding 16 lanes one by one (a chain
     * of 15 dependent adds plus 16 extractions) cost a 4 × 4 tile of 576 columns a quarter of its time.
     */
    public static float sumLanes(FloatVector v) {
        if (F.length() == 16) v = v.add(v.rearrange(FOLD_8));
        if (F.length() >= 8) v = v.add(v.rearrange(FOLD_4));
        v = v.add(v.rearrange(FOLD_2));
        return v.add(v.rearrange(FOLD_1)).lane(0);
    }

    /** Lane i takes lane i + k (wrapping; the upper lanes' sums are unused), in static finals so that C2 sees constants. */
    private static final VectorShuffle<Float> FOLD_8 = fold(8), FOLD_4 = fold(4), FOLD_2 = fold(2), FOLD_1 = fold(1);

    private static VectorShuffle<Float> fold(int k) {
        return k < F.length() ? VectorShuffle.fromOp(F, i -> (i + k) % F.length()) : null;
    }

    /** Sum of a[aOff + i] * b[bOff + i] for i in [0, n). */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        float sum = 0;
        if (n >= 2 * F.length()) {
            // Two accumulators hide the FMA latency.
            FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
            int bound = n - 2 * F.length();
            for (; i <= bound; i += 2 * F.length()) {
                acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
                acc1 = FloatVector.fromArray(F, a, aOff + i + F.length())
                        .fma(FloatVector.fromArray(F, b, bOff + i + F.length()), acc1);
            }
            for (; i < F.loopBound(n); i += F.length()) {
                acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
            }
            sum = sumLanes(acc0.add(acc1));
        }
        for (; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    /** Dot product of {@code n} little-endian floats at byte offset {@code wOff} of {@code w} with x[xOff..]. */
    public static float dot(MemorySegment w, long wOff, float[] x, int xOff, int n) {
        int i = 0;
        float sum = 0;
        if (n >= F.length()) {
            FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
            int step = F.length();
            int bound = n - 2 * step;
            for (; i <= bound; i += 2 * step) {
                acc0 = FloatVector.fromMemorySegment(F, w, wOff + 4L * i, LE).fma(FloatVector.fromArray(F, x, xOff + i), acc0);
                acc1 = FloatVector.fromMemorySegment(F, w, wOff + 4L * (i + step), LE)
                        .fma(FloatVector.fromArray(F, x, xOff + i + step), acc1);
            }
            for (; i < F.loopBound(n); i += step) {
                acc0 = FloatVector.fromMemorySegment(F, w, wOff + 4L * i, LE).fma(FloatVector.fromArray(F, x, xOff + i), acc0);
            }
            sum = sumLanes(acc0.add(acc1));
        }
        for (; i < n; i++) sum += w.get(F32_LE, wOff + 4L * i) * x[xOff + i];
        return sum;
    }

    /** x[off + i] *= a for i in [0, n). */
    public static void scale(float[] x, int off, int n, float a) {
        int i = 0;
        for (; i < F.loopBound(n); i += F.length()) FloatVector.fromArray(F, x, off + i).mul(a).intoArray(x, off + i);
        for (; i < n; i++) x[off + i] *= a;
    }

    /** y[yOff + i] += a * x[xOff + i]. */
    public static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(F, a);
        for (; i < F.loopBound(n); i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).fma(va, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] += a * x[xOff + i];
    }

    /**
     * grad[r * cols + c] += scale · Σ_t a[t * rows + r] · b[t * cols + c]: a weight gradient as a sum of
     * outer products over the batch. Tiles of 6 gradient rows × 2 vectors of columns (12 accumulators,
     * as in {@link TileMultiply#addTransposed}) accumulate over t in registers (t in order, so the sum
     * does not depend on threads), parallel over row blocks; leftover rows take 4-row tiles.
     */
    public static void addOuter(float[] grad, int rows, int cols, float[] a, float[] b, int batch, float scale) {
        int blocks = (rows + 5) / 6;
        int width = 2 * F.length();
        Parallel.forRange(blocks, Parallel.grain((long) 6 * cols * batch), (from, to) -> {
            for (int block = from; block < to; block++) {
                int r0 = block * 6, n = Math.min(6, rows - r0);
                int tiled = n == 6 ? 6 : n >= 4 ? 4 : 0;
                int c = 0;
                if (tiled > 0) {
                    for (; c + width <= cols; c += width) {
                        if (tiled == 6) outerTile6(grad, rows, cols, a, b, batch, scale, r0, c);
                        else outerTile(grad, rows, cols, a, b, batch, scale, r0, c);
                    }
                    // One vector of columns is left when cols is an odd number of vectors, or a LoRA
                    // rank of 16 meets 16-lane vectors (dB): without this it took the scalar loop.
                    if (tiled == 6 && c + F.length() <= cols) {
                        outerTile6Narrow(grad, rows, cols, a, b, batch, scale, r0, c);
                        c += F.length();
                    }
                }
                for (int r = r0; r < r0 + n; r++) {
                    for (int cc = r < r0 + tiled ? c : 0; cc < cols; cc++) {
                        float sum = 0;
                        for (int t = 0; t < batch; t++) sum += a[t * rows + r] * b[t * cols + cc];
                        grad[r * cols + cc] += scale * sum;
                    }
                }
            }
        });
    }

    private static void outerTile6(float[] grad, int rows, int cols, float[] a, float[] b, int batch, float scale, int r0,
                                   int c) {
        int step = F.length();
        FloatVector p0 = FloatVector.zero(F), q0 = p0, p1 = p0, q1 = p0, p2 = p0, q2 = p0, p3 = p0, q3 = p0, p4 = p0, q4 = p0,
                p5 = p0, q5 = p0;
        for (int t = 0; t < batch; t++) {
            FloatVector lo = FloatVector.fromArray(F, b, t * cols + c);
            FloatVector hi = FloatVector.fromArray(F, b, t * cols + c + step);
            int ar = t * rows + r0;
            FloatVector g = FloatVector.broadcast(F, a[ar]);
            p0 = lo.fma(g, p0);
            q0 = hi.fma(g, q0);
            g = FloatVector.broadcast(F, a[ar + 1]);
            p1 = lo.fma(g, p1);
            q1 = hi.fma(g, q1);
            g = FloatVector.broadcast(F, a[ar + 2]);
            p2 = lo.fma(g, p2);
            q2 = hi.fma(g, q2);
            g = FloatVector.broadcast(F, a[ar + 3]);
            p3 = lo.fma(g, p3);
            q3 = hi.fma(g, q3);
            g = FloatVector.broadcast(F, a[ar + 4]);
            p4 = lo.fma(g, p4);
            q4 = hi.fma(g, q4);
            g = FloatVector.broadcast(F, a[ar + 5]);
            p5 = lo.fma(g, p5);
            q5 = hi.fma(g, q5);
        }
        FloatVector s = FloatVector.broadcast(F, scale);
        addInto(grad, r0 * cols + c, p0, q0, s, step);
        addInto(grad, (r0 + 1) * cols + c, p1, q1, s, step);
        addInto(grad, (r0 + 2) * cols + c, p2, q2, s, step);
        addInto(grad, (r0 + 3) * cols + c, p3, q3, s, step);
        addInto(grad, (r0 + 4) * cols + c, p4, q4, s, step);
        addInto(grad, (r0 + 5) * cols + c, p5, q5, s, step);
    }

    /** As {@link #outerTile6} over one vector of columns. */
    private static void outerTile6Narrow(float[] grad, int rows, int cols, float[] a, float[] b, int batch, float scale,
                                         int r0, int c) {
        FloatVector p0 = FloatVector.zero(F), p1 = p0, p2 = p0, p3 = p0, p4 = p0, p5 = p0;
        for (int t = 0; t < batch; t++) {
            FloatVector v = FloatVector.fromArray(F, b, t * cols + c);
            int ar = t * rows + r0;
            p0 = v.fma(FloatVector.broadcast(F, a[ar]), p0);
            p1 = v.fma(FloatVector.broadcast(F, a[ar + 1]), p1);
            p2 = v.fma(FloatVector.broadcast(F, a[ar + 2]), p2);
            p3 = v.fma(FloatVector.broadcast(F, a[ar + 3]), p3);
            p4 = v.fma(FloatVector.broadcast(F, a[ar + 4]), p4);
            p5 = v.fma(FloatVector.broadcast(F, a[ar + 5]), p5);
        }
        FloatVector s = FloatVector.broadcast(F, scale);
        p0.fma(s, FloatVector.fromArray(F, grad, r0 * cols + c)).intoArray(grad, r0 * cols + c);
        p1.fma(s, FloatVector.fromArray(F, grad, (r0 + 1) * cols + c)).intoArray(grad, (r0 + 1) * cols + c);
        p2.fma(s, FloatVector.fromArray(F, grad, (r0 + 2) * cols + c)).intoArray(grad, (r0 + 2) * cols + c);
        p3.fma(s, FloatVector.fromArray(F, grad, (r0 + 3) * cols + c)).intoArray(grad, (r0 + 3) * cols + c);
        p4.fma(s, FloatVector.fromArray(F, grad, (r0 + 4) * cols + c)).intoArray(grad, (r0 + 4) * cols + c);
        p5.fma(s, FloatVector.fromArray(F, grad, (r0 + 5) * cols + c)).intoArray(grad, (r0 + 5) * cols + c);
    }

    private static void outerTile(float[] grad, int rows, int cols, float[] a, float[] b, int batch, float scale, int r0, int c) {
        int step = F.length();
        FloatVector p0 = FloatVector.zero(F), q0 = p0, p1 = p0, q1 = p0, p2 = p0, q2 = p0, p3 = p0, q3 = p0;
        for (int t = 0; t < batch; t++) {
            FloatVector lo = FloatVector.fromArray(F, b, t * cols + c);
            FloatVector hi = FloatVector.fromArray(F, b, t * cols + c + step);
            int ar = t * rows + r0;
            FloatVector g = FloatVector.broadcast(F, a[ar]);
            p0 = lo.fma(g, p0);
            q0 = hi.fma(g, q0);
            g = FloatVector.broadcast(F, a[ar + 1]);
            p1 = lo.fma(g, p1);
            q1 = hi.fma(g, q1);
            g = FloatVector.broadcast(F, a[ar + 2]);
            p2 = lo.fma(g, p2);
            q2 = hi.fma(g, q2);
            g = FloatVector.broadcast(F, a[ar + 3]);
            p3 = lo.fma(g, p3);
            q3 = hi.fma(g, q3);
        }
        FloatVector s = FloatVector.broadcast(F, scale);
        addInto(grad, r0 * cols + c, p0, q0, s, step);
        addInto(grad, (r0 + 1) * cols + c, p1, q1, s, step);
        addInto(grad, (r0 + 2) * cols + c, p2, q2, s, step);
        addInto(grad, (r0 + 3) * cols + c, p3, q3, s, step);
    }

    private static void addInto(float[] grad, int off, FloatVector lo, FloatVector hi, FloatVector scale, int step) {
        lo.fma(scale, FloatVector.fromArray(F, grad, off)).intoArray(grad, off);
        hi.fma(scale, FloatVector.fromArray(F, grad, off + step)).intoArray(grad, off + step);
    }

    /**
     * out = x / rms(x) * (weight + weightOffset), over n values; RMS with {@code eps} added to the
     * mean square, computed in double for stability on long rows.
     */
    public static void rmsNorm(float[] out, int outOff, float[] x, int xOff, float[] weight, float weightOffset,
                               int n, double eps) {
        double ss = 0;
        for (int i = 0; i < n; i++) ss += (double) x[xOff + i] * x[xOff + i];
        float scale = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) out[outOff + i] = x[xOff + i] * scale * (weight[i] + weightOffset);
    }

    /** In-place softmax of x[off .. off + n). */
    public static void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) StrictMath.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) x[off + i] *= inv;
    }

    /** log softmax(logits[off .. off + n))[target], in double (the per-token log-likelihood). */
    public static double logSoftmaxAt(float[] logits, int off, int n, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[off + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += StrictMath.exp(logits[off + i] - max);
        return logits[off + target] - max - StrictMath.log(sum);
    }

    /** gate[i] = silu(gate[i]) * up[i]: the SwiGLU of Llama-family MLPs. */
    public static void swiglu(float[] gate, float[] up, int off, int n) {
        for (int i = off; i < off + n; i++) {
            float g = gate[i];
            gate[i] = g / (1f + (float) StrictMath.exp(-g)) * up[i];
        }
    }

    /** gate[i] = gelu_tanh(gate[i]) * up[i]: Gemma's GeGLU with the tanh approximation. */
    public static void geglu(float[] gate, float[] up, int off, int n) {
        final double c = Math.sqrt(2 / Math.PI);
        for (int i = off; i < off + n; i++) {
            double g = gate[i];
            gate[i] = (float) (0.5 * g * (1 + StrictMath.tanh(c * (g + 0.044715 * g * g * g)))) * up[i];
        }
    }
}

package dev.tinyforge.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
     * The lanes' sum in lane order. {@code reduceLanes(ADD)} may add in another order once the JIT
     * compiles it than while interpreted, so results would depend on warm-up timing; a fixed order
     * keeps training bit-for-bit reproducible.
     */
    public static float sumLanes(FloatVector v) {
        float[] lanes = v.toArray();
        float sum = 0;
        for (float lane : lanes) sum += lane;
        return sum;
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
     * outer products over the batch, parallel over the gradient's rows.
     */
    public static void addOuter(float[] grad, int rows, int cols, float[] a, float[] b, int batch, float scale) {
        Parallel.forRange(rows, Parallel.grain((long) cols * batch), (from, to) -> {
            for (int r = from; r < to; r++) {
                for (int t = 0; t < batch; t++) {
                    float g = a[t * rows + r] * scale;
                    if (g != 0f) axpy(g, b, t * cols, grad, r * cols, cols);
                }
            }
        });
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

package dev.tinyforge.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kernel against a plain double-precision scalar reference, over lengths that hit every tail. */
class VectorMathTest {
    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    private static double dotReference(float[] a, int aOff, float[] b, int bOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) a[aOff + i] * b[bOff + i];
        return s;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 576, 1537})
    void dotMatchesScalar(int n) {
        SplittableRandom r = new SplittableRandom(n);
        float[] a = random(r, n + 5), b = random(r, n + 9);
        double expected = dotReference(a, 3, b, 7, n);
        assertEquals(expected, VectorMath.dot(a, 3, b, 7, n), 1e-5 * Math.sqrt(n + 1));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = arena.allocate(4L * (n + 5) + 2);
            ValueLayout.OfFloat le = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            // An odd byte offset proves unaligned mapped weights work.
            for (int i = 0; i < n + 5; i++) w.set(le, 2 + 4L * i, a[i]);
            assertEquals(expected, VectorMath.dot(w, 2 + 4L * 3, b, 7, n), 1e-5 * Math.sqrt(n + 1));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 33, 200})
    void axpyMatchesScalar(int n) {
        SplittableRandom r = new SplittableRandom(n);
        float[] x = random(r, n + 2), y = random(r, n + 1);
        float[] expected = y.clone();
        for (int i = 0; i < n; i++) expected[1 + i] += 0.37f * x[2 + i];
        VectorMath.axpy(0.37f, x, 2, y, 1, n);
        assertArrayEquals(expected, y, 1e-6f);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 64, 577})
    void rmsNormSoftmaxAndGluMatchTheirDefinitions(int n) {
        SplittableRandom r = new SplittableRandom(n);
        float[] x = random(r, n), w = random(r, n), out = new float[n];
        VectorMath.rmsNorm(out, 0, x, 0, w, 1f, n, 1e-5);
        double ms = 0;
        for (float v : x) ms += (double) v * v;
        double inv = 1 / Math.sqrt(ms / n + 1e-5);
        for (int i = 0; i < n; i++) assertEquals(x[i] * inv * (w[i] + 1), out[i], 1e-5);

        float[] s = x.clone();
        VectorMath.softmax(s, 0, n);
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : x) max = Math.max(max, v);
        for (float v : x) sum += Math.exp(v - max);
        for (int i = 0; i < n; i++) assertEquals(Math.exp(x[i] - max) / sum, s[i], 1e-6);

        float[] g = x.clone(), g2 = x.clone();
        VectorMath.swiglu(g, w, 0, n);
        VectorMath.geglu(g2, w, 0, n);
        for (int i = 0; i < n; i++) {
            double v = x[i];
            assertEquals(v / (1 + Math.exp(-v)) * w[i], g[i], 1e-5);
            double gelu = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            assertEquals(gelu * w[i], g2[i], 1e-5);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 17, 1000, 100_003})
    void forRangeCoversEveryItemExactlyOnce(int n) {
        AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(1, n));
        Parallel.forRange(n, 16, (from, to) -> {
            for (int i = from; i < to; i++) hits.incrementAndGet(i);
        });
        for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "item " + i);
    }
}

package dev.tinyforge.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorExpTest {
    @Test
    void withinTwoUlpOfTheTrueValueAndTheSameInVectorAndScalarForm() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 200_000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (random.nextDouble() * 180 - 90);
        x[0] = 0f;
        x[1] = -87.3f;
        x[2] = 88.7f;
        x[3] = -100f;
        x[4] = 1e-8f;
        float[] vector = new float[n];
        int step = VectorMath.F.length();
        for (int i = 0; i + step <= n; i += step) VectorExp.exp(FloatVector.fromArray(VectorMath.F, x, i)).intoArray(vector, i);
        for (int i = 0; i < n - n % step; i++) {
            float scalar = VectorExp.exp(x[i]);
            assertEquals(Float.floatToIntBits(scalar), Float.floatToIntBits(vector[i]), "x = " + x[i]);
            double exact = StrictMath.exp(x[i]);
            if (x[i] < -87.3f) {
                assertEquals(0f, scalar, "x = " + x[i]);
            } else if (x[i] <= 88.7f) {
                assertTrue(Math.abs(scalar - exact) <= 2 * Math.ulp((float) exact), "x = " + x[i] + ": " + scalar + " vs " + exact);
            }
        }
        assertEquals(1f, VectorExp.exp(0f));
    }

    @Test
    void shiftedExponentialsSumInIndexOrder() {
        float[] a = new float[37];
        for (int i = 0; i < a.length; i++) a[i] = i * 0.25f - 3;
        float[] copy = a.clone();
        double sum = VectorExp.expShifted(a, 0, a.length, 2f), expected = 0;
        for (int i = 0; i < copy.length; i++) {
            float e = VectorExp.exp(copy[i] - 2f);
            assertEquals(e, a[i]);
            expected += e;
        }
        assertEquals(expected, sum);
    }
}

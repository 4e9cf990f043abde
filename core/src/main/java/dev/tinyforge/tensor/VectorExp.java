package dev.tinyforge.tensor;

import static dev.tinyforge.tensor.VectorMath.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * e^x in float from adds, multiplies and FMAs only, so the vector and the scalar form give the same
 * bits, interpreted or compiled: training stays reproducible bit for bit, which the JDK's vector
 * EXP (an intrinsic whose fallback rounds differently) would not guarantee. x = n·ln2 + r with
 * |r| ≤ ln2/2, e^r by its degree-7 Taylor polynomial (truncation below 3e-9 relative), scaled by 2^n
 * through the exponent bits. Error within 2 ulp of the true value (VectorMathTest); results below
 * e^-87.3 flush to 0 and above e^88.7 saturate near Float.MAX_VALUE.
 */
public final class VectorExp {
    private static final float LOG2E = 1.44269504f, LN2_HI = 0.693145752f, LN2_LO = 1.42860677e-6f;
    private static final float MIN = -87.3f, MAX = 88.7f;
    /** 1.5·2²³: adding it rounds a float of magnitude below 2²² to an integer held in the low mantissa bits. */
    private static final float ROUND = 12582912f;
    private static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    private VectorExp() {}

    public static float exp(float x) {
        float clamped = Math.min(Math.max(x, MIN), MAX);
        float shifted = Math.fma(clamped, LOG2E, ROUND);
        float n = shifted - ROUND;
        float r = Math.fma(n, -LN2_HI, clamped);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(C7, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int bits = Float.floatToRawIntBits(p) + ((Float.floatToRawIntBits(shifted) - Float.floatToRawIntBits(ROUND)) << 23);
        return x < MIN ? 0f : Float.intBitsToFloat(bits);
    }

    public static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(MIN).min(MAX);
        FloatVector shifted = clamped.fma(LOG2E, ROUND);
        FloatVector n = shifted.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), clamped);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = r.fma(C7, C6);
        p = p.fma(r, FloatVector.broadcast(F, C5));
        p = p.fma(r, FloatVector.broadcast(F, C4));
        p = p.fma(r, FloatVector.broadcast(F, C3));
        p = p.fma(r, FloatVector.broadcast(F, C2));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        IntVector exponent = ((IntVector) shifted.reinterpretAsInts()).sub(Float.floatToRawIntBits(ROUND))
                .lanewise(VectorOperators.LSHL, 23);
        FloatVector result = ((IntVector) p.reinterpretAsInts()).add(exponent).reinterpretAsFloats();
        return result.blend(0f, x.lt(MIN));
    }

    /** a[off + i] = e^(a[off + i] − shift) for i in [0, n); returns their sum, added in double in index order. */
    public static double expShifted(float[] a, int off, int n, float shift) {
        double sum = 0;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector e = exp(FloatVector.fromArray(F, a, off + i).sub(shift));
            e.intoArray(a, off + i);
            for (int lane = 0; lane < F.length(); lane++) sum += a[off + i + lane];
        }
        for (; i < n; i++) {
            a[off + i] = exp(a[off + i] - shift);
            sum += a[off + i];
        }
        return sum;
    }
}

package dev.tinyforge.quant;

/**
 * The searches behind ggml's k-quants for one group of values: a scale (and for Q2_K/Q4_K/Q5_K a
 * min) and the integer level of each value. They follow ggml-quants.c's {@code make_qx_quants},
 * {@code make_q3_quants} and {@code make_qkx2_quants} step for step in float32, because a different
 * summation order or rounding changes which candidate scale wins and so the bytes.
 */
final class KQuantFits {
    private KQuantFits() {}

    /** ggml's GROUP_MAX_EPS: a group whose largest magnitude is below this is all zeros. */
    static final float GROUP_MAX_EPS = 1e-15f;

    /**
     * ggml's {@code nearest_int}: adds 1.5 * 2^23 so the float addition rounds to an integer (ties to
     * even) and reads it back from the mantissa. Reproduced bit for bit, including its wrap-around for
     * |v| >= 2^22, which ggml only asserts against in debug builds.
     */
    static int nearestInt(float v) {
        int bits = Float.floatToRawIntBits(v + 12582912.0f);
        return (bits & 0x007F_FFFF) - 0x0040_0000;
    }

    /**
     * {@code make_qx_quants(n, nmax, x, L, rmse_type = 1, qw = NULL)} (Q6_K): symmetric levels in
     * [-nmax, nmax) weighted by x², trying 18 scales around nmax / max. Writes level + nmax to
     * {@code L[lAt ..]} and returns the scale.
     */
    static float symmetricWeighted(int n, int nmax, float[] x, int at, byte[] L, int lAt) {
        float max = 0, amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[at + i]);
            if (ax > amax) {
                amax = ax;
                max = x[at + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) L[lAt + i] = 0;
            return 0;
        }
        float iscale = -nmax / max;
        float sumlx = 0, suml2 = 0;
        for (int i = 0; i < n; i++) {
            float v = x[at + i];
            int l = clamp(nearestInt(iscale * v), -nmax, nmax - 1);
            L[lAt + i] = (byte) (l + nmax);
            float w = v * v;
            sumlx += w * v * l;
            suml2 += w * l * l;
        }
        float scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
        float best = scale * sumlx;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) continue;
            iscale = -(nmax + 0.1f * is) / max;
            sumlx = 0;
            suml2 = 0;
            for (int i = 0; i < n; i++) {
                float v = x[at + i];
                int l = clamp(nearestInt(iscale * v), -nmax, nmax - 1);
                float w = v * v;
                sumlx += w * v * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                for (int i = 0; i < n; i++) {
                    L[lAt + i] = (byte) (nmax + clamp(nearestInt(iscale * x[at + i]), -nmax, nmax - 1));
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    /**
     * {@code make_q3_quants(n, nmax, x, L, do_rmse = true)} (Q3_K): symmetric levels in [-nmax, nmax)
     * from nmax / max, then up to five passes that move single levels while that lowers the x²-weighted
     * error. Writes level + nmax to {@code L[lAt ..]} and returns the scale.
     */
    static float symmetricRefined(int n, int nmax, float[] x, int at, byte[] L, int lAt) {
        float max = 0, amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[at + i]);
            if (ax > amax) {
                amax = ax;
                max = x[at + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) L[lAt + i] = 0;
            return 0;
        }
        float iscale = -nmax / max;
        float sumlx = 0, suml2 = 0;
        for (int i = 0; i < n; i++) {
            float v = x[at + i];
            int l = clamp(nearestInt(iscale * v), -nmax, nmax - 1);
            L[lAt + i] = (byte) l;
            float w = v * v;
            sumlx += w * v * l;
            suml2 += w * l * l;
        }
        for (int pass = 0; pass < 5; pass++) {
            int changed = 0;
            for (int i = 0; i < n; i++) {
                float v = x[at + i];
                int li = L[lAt + i];
                float w = v * v;
                float slx = sumlx - w * v * li;
                if (slx > 0) {
                    float sl2 = suml2 - w * li * li;
                    int l = clamp(nearestInt(v * sl2 / slx), -nmax, nmax - 1);
                    if (l != li) {
                        slx += w * v * l;
                        sl2 += w * l * l;
                        if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                            L[lAt + i] = (byte) l;
                            sumlx = slx;
                            suml2 = sl2;
                            changed++;
                        }
                    }
                }
            }
            if (changed == 0) break;
        }
        for (int i = 0; i < n; i++) L[lAt + i] += (byte) nmax;
        return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
    }

    /**
     * {@code make_qkx2_quants} (Q2_K, Q4_K, Q5_K): levels in [0, nmax] for value = scale * level - min,
     * min >= 0. Starts from the value range, then tries {@code steps + 1} scales
     * (rmin + rdelta * step + nmax) / range, fitting scale and min by weighted least squares, and keeps
     * the one with the least weighted squared (or, with {@code absoluteError}, absolute) error.
     *
     * @param aux  scratch of at least n levels
     * @param mins where the min (a magnitude, >= 0) goes, at {@code minAt}
     * @return the scale
     */
    static float asymmetric(int n, int nmax, float[] x, int at, float[] weights, byte[] L, int lAt, byte[] aux,
                            float rmin, float rdelta, int steps, boolean absoluteError, float[] mins, int minAt) {
        float min = x[at], max = x[at];
        float sumW = weights[0];
        float sumX = sumW * x[at];
        for (int i = 1; i < n; i++) {
            float v = x[at + i];
            if (v < min) min = v;
            if (v > max) max = v;
            float w = weights[i];
            sumW += w;
            sumX += w * v;
        }
        if (min > 0) min = 0;
        if (max == min) {
            for (int i = 0; i < n; i++) L[lAt + i] = 0;
            mins[minAt] = -min;
            return 0;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; i++) {
            int l = clamp(nearestInt(iscale * (x[at + i] - min)), 0, nmax);
            L[lAt + i] = (byte) l;
            float diff = scale * l + min - x[at + i];
            diff = absoluteError ? Math.abs(diff) : diff * diff;
            bestError += weights[i] * diff;
        }
        for (int step = 0; step <= steps; step++) {
            iscale = (rmin + rdelta * step + nmax) / (max - min);
            float sumL = 0, sumL2 = 0, sumXL = 0;
            for (int i = 0; i < n; i++) {
                float v = x[at + i];
                int l = clamp(nearestInt(iscale * (v - min)), 0, nmax);
                aux[i] = (byte) l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXL += w * l * v;
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det > 0) {
                float thisScale = (sumW * sumXL - sumX * sumL) / det;
                float thisMin = (sumL2 * sumX - sumL * sumXL) / det;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }
                float error = 0;
                for (int i = 0; i < n; i++) {
                    float diff = thisScale * aux[i] + thisMin - x[at + i];
                    diff = absoluteError ? Math.abs(diff) : diff * diff;
                    error += weights[i] * diff;
                }
                if (error < bestError) {
                    System.arraycopy(aux, 0, L, lAt, n);
                    bestError = error;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        mins[minAt] = -min;
        return scale;
    }

    static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}

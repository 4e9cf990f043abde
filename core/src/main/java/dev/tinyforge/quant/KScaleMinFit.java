package dev.tinyforge.quant;

import static dev.tinyforge.quant.KQuantFits.nearestInt;

/**
 * The part Q4_K and Q5_K share (ggml's {@code quantize_row_q4_K_ref} / {@code q5_K_ref}): fit each
 * 32-value sub-block with {@link KQuantFits#asymmetric} under weights {@code rms + |x|}, quantize the
 * eight scales and mins to 6 bits against the largest of each, store d, dmin and the packed
 * {@link KScales}, and requantize the values to levels 0..nmax with the scales as stored.
 */
final class KScaleMinFit {
    private final int nmax;
    private final float rmin, rdelta;
    private final int steps;
    final byte[] levels = new byte[256];
    private final byte[] aux = new byte[32];
    private final float[] weights = new float[32];
    private final float[] scales = new float[8];
    private final float[] mins = new float[8];

    KScaleMinFit(int nmax, float rmin, float rdelta, int steps) {
        this.nmax = nmax;
        this.rmin = rmin;
        this.rdelta = rdelta;
        this.steps = steps;
    }

    /** Fits the block at {@code x[at]}, writes d, dmin and scales to {@code y[out .. out + 16)}; levels end in {@link #levels}. */
    void fit(float[] x, int at, byte[] y, int out) {
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 8; j++) {
            int from = at + 32 * j;
            float sumX2 = 0;
            for (int l = 0; l < 32; l++) sumX2 += x[from + l] * x[from + l];
            float avX = (float) Math.sqrt(sumX2 / 32);
            for (int l = 0; l < 32; l++) weights[l] = avX + Math.abs(x[from + l]);
            scales[j] = KQuantFits.asymmetric(32, nmax, x, from, weights, levels, 32 * j, aux,
                    rmin, rdelta, steps, false, mins, j);
            if (scales[j] > maxScale) maxScale = scales[j];
            if (mins[j] > maxMin) maxMin = mins[j];
        }

        int sc = out + 4;
        float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
        float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
        for (int j = 0; j < 8; j++) {
            // C stores nearest_int in a uint8_t before taking MIN with 63
            int ls = Math.min(63, nearestInt(invScale * scales[j]) & 0xFF);
            int lm = Math.min(63, nearestInt(invMin * mins[j]) & 0xFF);
            KScales.pack(y, sc, j, ls, lm);
        }
        BlockBytes.putHalf(y, out, maxScale / 63.f);
        BlockBytes.putHalf(y, out + 2, maxMin / 63.f);

        float d = BlockBytes.getHalf(y, out), dmin = BlockBytes.getHalf(y, out + 2);
        for (int j = 0; j < 8; j++) {
            float dl = d * KScales.scale(y, sc, j);
            if (dl == 0) continue; // keeps the levels of the first fit, as ggml does
            float ml = dmin * KScales.min(y, sc, j);
            for (int ii = 0; ii < 32; ii++) {
                int l = nearestInt((x[at + 32 * j + ii] + ml) / dl);
                levels[32 * j + ii] = (byte) KQuantFits.clamp(l, 0, nmax);
            }
        }
    }
}

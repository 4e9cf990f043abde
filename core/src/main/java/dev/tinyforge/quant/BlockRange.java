package dev.tinyforge.quant;

/** What ggml's reference encoders look at first in a block of values: its extremes. */
final class BlockRange {
    private BlockRange() {}

    /** The value of largest magnitude, sign kept (the first one on ties, as ggml's loop finds it). */
    static float largestMagnitude(float[] x, int at, int n) {
        float amax = 0, max = 0;
        for (int j = 0; j < n; j++) {
            float v = x[at + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        return max;
    }

    /** {min, max} of the block. */
    static float[] minMax(float[] x, int at, int n) {
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (int j = 0; j < n; j++) {
            float v = x[at + j];
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return new float[] {min, max};
    }
}

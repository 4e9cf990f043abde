package dev.tinyforge.quant;

/**
 * {@code block_q8_0} as ggml's {@code quantize_row_q8_0_ref}: d = max|x| / 127, q = roundf(x / d)
 * (ties away from zero, unlike {@link Math#round}).
 */
final class Q8_0Encoder implements BlockEncoder {
    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public void encodeBlock(float[] x, int at, byte[] y, int out) {
        float amax = 0;
        for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[at + j]));
        float d = amax / 127;
        float id = d != 0 ? 1.0f / d : 0.0f;
        BlockBytes.putHalf(y, out, d);
        for (int j = 0; j < 32; j++) y[out + 2 + j] = (byte) roundHalfAwayFromZero(x[at + j] * id);
    }

    /** C's {@code roundf}; {@code |v| + 0.5} is exact in double, so the floor is the true rounding. */
    static int roundHalfAwayFromZero(float v) {
        double magnitude = Math.floor(Math.abs((double) v) + 0.5);
        return (int) (v < 0 ? -magnitude : magnitude);
    }
}

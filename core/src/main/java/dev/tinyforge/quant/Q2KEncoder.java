package dev.tinyforge.quant;

import static dev.tinyforge.quant.KQuantFits.nearestInt;

/**
 * {@code block_q2_K} as ggml's {@code quantize_row_q2_K_ref}: each 16-value sub-block gets a scale
 * and min from {@link KQuantFits#asymmetric} (levels 0..3, |x| weights, absolute error); both are
 * quantized to 4 bits against the block's largest, and the values are requantized with the rounded
 * scales. Layout as in {@link Q2KBlock}.
 */
final class Q2KEncoder implements BlockEncoder {
    private final byte[] levels = new byte[256];
    private final byte[] aux = new byte[16];
    private final float[] weights = new float[16];
    private final float[] scales = new float[16];
    private final float[] mins = new float[16];

    @Override
    public GgmlType type() {
        return GgmlType.Q2_K;
    }

    @Override
    public void encodeBlock(float[] x, int at, byte[] y, int out) {
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 16; j++) {
            for (int l = 0; l < 16; l++) weights[l] = Math.abs(x[at + 16 * j + l]);
            scales[j] = KQuantFits.asymmetric(16, 3, x, at + 16 * j, weights, levels, 16 * j, aux,
                    -0.5f, 0.1f, 15, true, mins, j);
            if (scales[j] > maxScale) maxScale = scales[j];
            if (mins[j] > maxMin) maxMin = mins[j];
        }

        int sc = out, d = out + 80, dmin = out + 82;
        if (maxScale > 0) {
            float iscale = 15.f / maxScale;
            for (int j = 0; j < 16; j++) y[sc + j] = (byte) nearestInt(iscale * scales[j]);
            BlockBytes.putHalf(y, d, maxScale / 15.f);
        } else {
            for (int j = 0; j < 16; j++) y[sc + j] = 0;
            BlockBytes.putHalf(y, d, 0.f);
        }
        if (maxMin > 0) {
            float iscale = 15.f / maxMin;
            for (int j = 0; j < 16; j++) y[sc + j] |= (byte) (nearestInt(iscale * mins[j]) << 4);
            BlockBytes.putHalf(y, dmin, maxMin / 15.f);
        } else {
            BlockBytes.putHalf(y, dmin, 0.f);
        }

        // requantize with the scales as stored; a sub-block whose scale rounded to 0 keeps its first levels
        float dAll = BlockBytes.getHalf(y, d), minAll = BlockBytes.getHalf(y, dmin);
        for (int j = 0; j < 16; j++) {
            int packed = y[sc + j] & 0xFF;
            float dl = dAll * (packed & 0xF);
            if (dl == 0) continue;
            float ml = minAll * (packed >>> 4);
            for (int ii = 0; ii < 16; ii++) {
                int l = nearestInt((x[at + 16 * j + ii] + ml) / dl);
                levels[16 * j + ii] = (byte) KQuantFits.clamp(l, 0, 3);
            }
        }
        packTwoBitLevels(levels, y, out + 16);
    }

    /** ggml's 2-bit packing (Q2_K, and the low bits of Q3_K): value 32*k + l of each half is bits 2k..2k+1 of byte l. */
    static void packTwoBitLevels(byte[] levels, byte[] y, int qs) {
        for (int half = 0; half < 2; half++) {
            int j = 128 * half;
            for (int l = 0; l < 32; l++) {
                y[qs + 32 * half + l] = (byte) (levels[j + l] | (levels[j + l + 32] << 2)
                        | (levels[j + l + 64] << 4) | (levels[j + l + 96] << 6));
            }
        }
    }
}

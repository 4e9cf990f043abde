package dev.tinyforge.quant;

import static dev.tinyforge.quant.KQuantFits.nearestInt;

/**
 * {@code block_q6_K} as ggml's {@code quantize_row_q6_K_ref}: each 16-value sub-block gets a signed
 * scale from {@link KQuantFits#symmetricWeighted} (levels -32..31); the scales become int8 against the
 * one of largest magnitude (-128 for it) and the values are requantized with them. A block whose
 * scales are all ~0 is stored as zeros. Layout as in {@link Q6KBlock}.
 */
final class Q6KEncoder implements BlockEncoder {
    private final byte[] levels = new byte[256];
    private final float[] scales = new float[16];

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    public void encodeBlock(float[] x, int at, byte[] y, int out) {
        float maxScale = 0, maxAbsScale = 0;
        for (int ib = 0; ib < 16; ib++) {
            float scale = KQuantFits.symmetricWeighted(16, 32, x, at + 16 * ib, levels, 16 * ib);
            scales[ib] = scale;
            if (Math.abs(scale) > maxAbsScale) {
                maxAbsScale = Math.abs(scale);
                maxScale = scale;
            }
        }
        if (maxAbsScale < KQuantFits.GROUP_MAX_EPS) {
            java.util.Arrays.fill(y, out, out + 210, (byte) 0);
            return;
        }

        int ql = out, qh = out + 128, sc = out + 192, d = out + 208;
        float iscale = -128.f / maxScale;
        BlockBytes.putHalf(y, d, 1 / iscale);
        for (int ib = 0; ib < 16; ib++) y[sc + ib] = (byte) Math.min(127, nearestInt(iscale * scales[ib]));

        float dAll = BlockBytes.getHalf(y, d);
        for (int j = 0; j < 16; j++) {
            float dl = dAll * y[sc + j];
            if (dl == 0) continue;
            for (int ii = 0; ii < 16; ii++) {
                int l = nearestInt(x[at + 16 * j + ii] / dl);
                levels[16 * j + ii] = (byte) (KQuantFits.clamp(l, -32, 31) + 32);
            }
        }

        // per 128 values: low nibbles of quarters 0/2 share ql[l], 1/3 share ql[l + 32]; the top two bits of all four go to qh[l]
        for (int half = 0; half < 2; half++) {
            int j = 128 * half, lo = ql + 64 * half, hi = qh + 32 * half;
            for (int l = 0; l < 32; l++) {
                int q1 = levels[j + l], q2 = levels[j + l + 32], q3 = levels[j + l + 64], q4 = levels[j + l + 96];
                y[lo + l] = (byte) ((q1 & 0xF) | ((q3 & 0xF) << 4));
                y[lo + l + 32] = (byte) ((q2 & 0xF) | ((q4 & 0xF) << 4));
                y[hi + l] = (byte) ((q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6));
            }
        }
    }
}

package dev.tinyforge.quant;

/**
 * {@code block_q4_K} as ggml's {@code quantize_row_q4_K_ref}: levels 0..15 from {@link KScaleMinFit}
 * (20 search steps from rmin -1 by 0.1), two sub-blocks per 32 bytes: the first in the low nibbles,
 * the second in the high ones. Layout as in {@link Q4KBlock}.
 */
final class Q4KEncoder implements BlockEncoder {
    private final KScaleMinFit fit = new KScaleMinFit(15, -1.f, 0.1f, 20);

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    @Override
    public void encodeBlock(float[] x, int at, byte[] y, int out) {
        fit.fit(x, at, y, out);
        byte[] levels = fit.levels;
        for (int chunk = 0; chunk < 4; chunk++) {
            int j = 64 * chunk, q = out + 16 + 32 * chunk;
            for (int l = 0; l < 32; l++) y[q + l] = (byte) (levels[j + l] | (levels[j + l + 32] << 4));
        }
    }
}

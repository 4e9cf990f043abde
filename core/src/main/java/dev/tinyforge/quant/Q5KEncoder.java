package dev.tinyforge.quant;

/**
 * {@code block_q5_K} as ggml's {@code quantize_row_q5_K_ref}: levels 0..31 from {@link KScaleMinFit}
 * (15 search steps from rmin -0.5 by 0.1); low 4 bits packed like Q4_K, the fifth bit of value
 * {@code 64c + l} in bit 2c of qh[l] and of value {@code 64c + 32 + l} in bit 2c + 1. Layout as in
 * {@link Q5KBlock}.
 */
final class Q5KEncoder implements BlockEncoder {
    private final KScaleMinFit fit = new KScaleMinFit(31, -0.5f, 0.1f, 15);

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    @Override
    public void encodeBlock(float[] x, int at, byte[] y, int out) {
        fit.fit(x, at, y, out);
        byte[] levels = fit.levels;
        int qh = out + 16;
        for (int l = 0; l < 32; l++) y[qh + l] = 0;
        for (int chunk = 0; chunk < 4; chunk++) {
            int n = 64 * chunk, ql = out + 48 + 32 * chunk;
            for (int l = 0; l < 32; l++) {
                int l1 = levels[n + l], l2 = levels[n + l + 32];
                if (l1 > 15) {
                    l1 -= 16;
                    y[qh + l] |= (byte) (1 << (2 * chunk));
                }
                if (l2 > 15) {
                    l2 -= 16;
                    y[qh + l] |= (byte) (2 << (2 * chunk));
                }
                y[ql + l] = (byte) (l1 | (l2 << 4));
            }
        }
    }
}

package dev.tinyforge.quant;

import static dev.tinyforge.quant.KQuantFits.nearestInt;

/**
 * {@code block_q3_K} as ggml's {@code quantize_row_q3_K_ref}: each 16-value sub-block gets a signed
 * scale from {@link KQuantFits#symmetricRefined} (levels -4..3); the scales are quantized to 6 bits
 * against the one of largest magnitude and the values requantized with them. Layout as in
 * {@link Q3KBlock}.
 */
final class Q3KEncoder implements BlockEncoder {
    private final byte[] levels = new byte[256];
    private final float[] scales = new float[16];

    @Override
    public GgmlType type() {
        return GgmlType.Q3_K;
    }

    @Override
    public void encodeBlock(float[] x, int at, byte[] y, int out) {
        float maxScale = 0, amax = 0;
        for (int j = 0; j < 16; j++) {
            scales[j] = KQuantFits.symmetricRefined(16, 4, x, at + 16 * j, levels, 16 * j);
            float scale = Math.abs(scales[j]);
            if (scale > amax) {
                amax = scale;
                maxScale = scales[j];
            }
        }

        int hmask = out, qs = out + 32, sc = out + 96, d = out + 108;
        for (int i = 0; i < 12; i++) y[sc + i] = 0;
        if (maxScale != 0) {
            float iscale = -32.f / maxScale;
            for (int j = 0; j < 16; j++) {
                int l = KQuantFits.clamp((byte) nearestInt(iscale * scales[j]), -32, 31) + 32; // C stores int8_t first
                if (j < 8) {
                    y[sc + j] = (byte) (l & 0xF);
                } else {
                    y[sc + j - 8] |= (byte) ((l & 0xF) << 4);
                }
                y[sc + 8 + j % 4] |= (byte) ((l >> 4) << (2 * (j / 4)));
            }
            BlockBytes.putHalf(y, d, 1 / iscale);
        } else {
            BlockBytes.putHalf(y, d, 0.f);
        }

        float dAll = BlockBytes.getHalf(y, d);
        for (int j = 0; j < 16; j++) {
            int low = j < 8 ? y[sc + j] & 0xF : (y[sc + j - 8] & 0xFF) >>> 4;
            int scale = (low | ((((y[sc + 8 + j % 4] & 0xFF) >>> (2 * (j / 4))) & 3) << 4)) - 32;
            float dl = dAll * scale;
            if (dl == 0) continue;
            for (int ii = 0; ii < 16; ii++) {
                int l = nearestInt(x[at + 16 * j + ii] / dl);
                levels[16 * j + ii] = (byte) (KQuantFits.clamp(l, -4, 3) + 4);
            }
        }

        // high bit of value v goes to bit v / 32 of hmask[v % 32]; the low two bits are packed like Q2_K
        for (int i = 0; i < 32; i++) y[hmask + i] = 0;
        for (int v = 0; v < 256; v++) {
            if (levels[v] > 3) {
                y[hmask + v % 32] |= (byte) (1 << (v / 32));
                levels[v] -= 4;
            }
        }
        Q2KEncoder.packTwoBitLevels(levels, y, qs);
    }
}

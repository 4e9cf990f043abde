package dev.tinyforge.quant;

/**
 * {@code block_q5_1} as ggml's {@code quantize_row_q5_1_ref}: m = min, d = (max - min) / 31,
 * q = trunc((x - min) / d + 0.5) (no clamp, as in ggml), split into nibbles and qh like Q5_0.
 */
final class Q5_1Encoder implements BlockEncoder {
    @Override
    public GgmlType type() {
        return GgmlType.Q5_1;
    }

    @Override
    public void encodeBlock(float[] x, int at, byte[] y, int out) {
        float[] range = BlockRange.minMax(x, at, 32);
        float min = range[0], max = range[1];
        float d = (max - min) / 31;
        float id = d != 0 ? 1.0f / d : 0.0f;
        BlockBytes.putHalf(y, out, d);
        BlockBytes.putHalf(y, out + 2, min);
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            // C converts to uint8_t
            int q0 = (int) ((x[at + j] - min) * id + 0.5f) & 0xFF;
            int q1 = (int) ((x[at + 16 + j] - min) * id + 0.5f) & 0xFF;
            y[out + 8 + j] = (byte) ((q0 & 0x0F) | ((q1 & 0x0F) << 4));
            qh |= ((q0 & 0x10) >>> 4) << j;
            qh |= ((q1 & 0x10) >>> 4) << (j + 16);
        }
        BlockBytes.putInt(y, out + 4, qh);
    }
}

package dev.tinyforge.quant;

/**
 * {@code block_q5_0} as ggml's {@code quantize_row_q5_0_ref}: d = (the value of largest magnitude) / -16,
 * q = min(31, trunc(x / d + 16.5)); the low 4 bits go to nibbles, the fifth bit of value j to bit j of qh.
 */
final class Q5_0Encoder implements BlockEncoder {
    @Override
    public GgmlType type() {
        return GgmlType.Q5_0;
    }

    @Override
    public void encodeBlock(float[] x, int at, byte[] y, int out) {
        float max = BlockRange.largestMagnitude(x, at, 32);
        float d = max / -16;
        float id = d != 0 ? 1.0f / d : 0.0f;
        BlockBytes.putHalf(y, out, d);
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int q0 = Math.min(31, (byte) (int) (x[at + j] * id + 16.5f));
            int q1 = Math.min(31, (byte) (int) (x[at + 16 + j] * id + 16.5f));
            y[out + 6 + j] = (byte) ((q0 & 0x0F) | ((q1 & 0x0F) << 4));
            qh |= ((q0 & 0x10) >>> 4) << j;
            qh |= ((q1 & 0x10) >>> 4) << (j + 16);
        }
        BlockBytes.putInt(y, out + 2, qh);
    }
}

package dev.tinyforge.quant;

/**
 * {@code block_q4_1} as ggml's {@code quantize_row_q4_1_ref}: m = min, d = (max - min) / 15,
 * q = min(15, trunc((x - min) / d + 0.5)), with the unrounded float min.
 */
final class Q4_1Encoder implements BlockEncoder {
    @Override
    public GgmlType type() {
        return GgmlType.Q4_1;
    }

    @Override
    public void encodeBlock(float[] x, int at, byte[] y, int out) {
        float[] range = BlockRange.minMax(x, at, 32);
        float min = range[0], max = range[1];
        float d = (max - min) / 15;
        float id = d != 0 ? 1.0f / d : 0.0f;
        BlockBytes.putHalf(y, out, d);
        BlockBytes.putHalf(y, out + 2, min);
        for (int j = 0; j < 16; j++) {
            int q0 = Math.min(15, (byte) (int) ((x[at + j] - min) * id + 0.5f));
            int q1 = Math.min(15, (byte) (int) ((x[at + 16 + j] - min) * id + 0.5f));
            y[out + 4 + j] = (byte) (q0 | (q1 << 4));
        }
    }
}

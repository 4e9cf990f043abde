package dev.tinyforge.quant;

/**
 * {@code block_q4_0} as ggml's {@code quantize_row_q4_0_ref}: d = (the value of largest magnitude) / -8,
 * so that value maps to -8 exactly; q = min(15, trunc(x / d + 8.5)).
 */
final class Q4_0Encoder implements BlockEncoder {
    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public void encodeBlock(float[] x, int at, byte[] y, int out) {
        float max = BlockRange.largestMagnitude(x, at, 32);
        float d = max / -8;
        float id = d != 0 ? 1.0f / d : 0.0f;
        BlockBytes.putHalf(y, out, d);
        for (int j = 0; j < 16; j++) {
            // C converts to int8_t (truncating), then takes MIN with 15
            int q0 = Math.min(15, (byte) (int) (x[at + j] * id + 8.5f));
            int q1 = Math.min(15, (byte) (int) (x[at + 16 + j] * id + 8.5f));
            y[out + 2 + j] = (byte) (q0 | (q1 << 4));
        }
    }
}

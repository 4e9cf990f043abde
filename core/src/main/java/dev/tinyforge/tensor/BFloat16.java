package dev.tinyforge.tensor;

/**
 * bfloat16 ("BF16": the top half of a float32) conversions with ggml's and PyTorch's bits.
 *
 * <p>Decoding is a shift and exact for every value, NaN payloads included. Encoding rounds to nearest,
 * ties to even, keeps subnormals, and makes a NaN quiet while keeping its sign and top payload bits, as
 * ggml's {@code ggml_compute_fp32_to_bf16} does.
 */
public final class BFloat16 {
    private BFloat16() {}

    public static float toFloat(short b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }

    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}

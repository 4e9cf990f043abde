package dev.tinyforge.tensor;

/**
 * IEEE 754 binary16 ("F16") conversions that give the same bits as ggml's.
 *
 * <p>Decoding is exact for every finite value, subnormals included. A NaN keeps its sign and payload
 * and gets its quiet bit set, as ggml's CPU conversion does (both its portable bit trick, whose float
 * multiply quiets a signalling NaN, and the F16C instruction). {@link Float#float16ToFloat} differs
 * there: it keeps a signalling NaN signalling, so we do not use it for decoding.
 *
 * <p>Encoding rounds to nearest, ties to even, overflows to infinity, and turns every NaN into
 * {@code 0x7E00} with the input's sign, as ggml's portable {@code ggml_compute_fp32_to_fp16} does.
 */
public final class Float16 {
    private Float16() {}

    /** The float value of the half-precision bits {@code h} (low 16 bits used). */
    public static float toFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24 is exact in float
            float magnitude = mantissa * 0x1p-24f;
            return Float.intBitsToFloat(sign | Float.floatToRawIntBits(magnitude));
        }
        if (exponent == 0x1F) {
            if (mantissa == 0) return Float.intBitsToFloat(sign | 0x7F80_0000);
            return Float.intBitsToFloat(sign | 0x7FC0_0000 | (mantissa << 13));
        }
        // normal: rebias the exponent from 15 to 127
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** The half-precision bits nearest to {@code f}. */
    public static short fromFloat(float f) {
        if (Float.isNaN(f)) {
            int sign = (Float.floatToRawIntBits(f) >>> 16) & 0x8000;
            return (short) (sign | 0x7E00);
        }
        // For non-NaN input the JDK conversion is IEEE round-to-nearest-even, which is what ggml does.
        return Float.floatToFloat16(f);
    }
}

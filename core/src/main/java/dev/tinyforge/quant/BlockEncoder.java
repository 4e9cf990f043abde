package dev.tinyforge.quant;

/**
 * Turns floats into blocks of a ggml type with the arithmetic of ggml's reference quantizers
 * ({@code quantize_row_*_ref}, the path llama-quantize takes without an importance matrix): same
 * operations, same order, float32 throughout, so the bytes equal llama.cpp's.
 *
 * <p>An encoder keeps scratch arrays between blocks, so one instance serves one thread; get a new one
 * per thread from {@link #forType}. Callers go through {@link Quantizer}, which checks the input.
 */
sealed interface BlockEncoder
        permits FloatEncoder, Q4_0Encoder, Q4_1Encoder, Q5_0Encoder, Q5_1Encoder, Q8_0Encoder,
                Q2KEncoder, Q3KEncoder, Q4KEncoder, Q5KEncoder, Q6KEncoder {

    GgmlType type();

    /** Encodes {@code src[at .. at + blockSize)} into {@code dst[out .. out + typeSize)}. */
    void encodeBlock(float[] src, int at, byte[] dst, int out);

    /** Encodes {@code count} values (a whole number of blocks) from {@code src[at]} into {@code dst[out]}. */
    default void encode(float[] src, int at, int count, byte[] dst, int out) {
        GgmlType type = type();
        for (int done = 0; done < count; done += type.blockSize()) {
            encodeBlock(src, at + done, dst, out);
            out += type.typeSize();
        }
    }

    /** A new encoder (with its own scratch space) for {@code type}; see {@link Quantizer#supports}. */
    static BlockEncoder forType(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16 -> new FloatEncoder(type);
            case Q4_0 -> new Q4_0Encoder();
            case Q4_1 -> new Q4_1Encoder();
            case Q5_0 -> new Q5_0Encoder();
            case Q5_1 -> new Q5_1Encoder();
            case Q8_0 -> new Q8_0Encoder();
            case Q2_K -> new Q2KEncoder();
            case Q3_K -> new Q3KEncoder();
            case Q4_K -> new Q4KEncoder();
            case Q5_K -> new Q5KEncoder();
            case Q6_K -> new Q6KEncoder();
            default -> throw new IllegalArgumentException("no encoder for " + type);
        };
    }
}

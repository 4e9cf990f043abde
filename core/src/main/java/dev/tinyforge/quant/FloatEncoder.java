package dev.tinyforge.quant;

import dev.tinyforge.tensor.BFloat16;
import dev.tinyforge.tensor.Float16;

/**
 * F32 (a copy), F16 and BF16, whose blocks are single values. F16 rounds to nearest even as ggml's
 * {@code ggml_fp32_to_fp16_row}; BF16 rounds to nearest even and quiets NaNs as
 * {@code ggml_fp32_to_bf16_row_ref} (both through the conversions in {@code dev.tinyforge.tensor}).
 */
final class FloatEncoder implements BlockEncoder {
    private final GgmlType type;

    FloatEncoder(GgmlType type) {
        this.type = type;
    }

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public void encodeBlock(float[] src, int at, byte[] dst, int out) {
        encode(src, at, 1, dst, out);
    }

    @Override
    public void encode(float[] src, int at, int count, byte[] dst, int out) {
        switch (type) {
            case F32 -> {
                for (int i = 0; i < count; i++) BlockBytes.putFloat(dst, out + 4 * i, src[at + i]);
            }
            case F16 -> {
                for (int i = 0; i < count; i++) BlockBytes.putShort(dst, out + 2 * i, Float16.fromFloat(src[at + i]));
            }
            default -> {
                for (int i = 0; i < count; i++) BlockBytes.putShort(dst, out + 2 * i, BFloat16.fromFloat(src[at + i]));
            }
        }
    }
}

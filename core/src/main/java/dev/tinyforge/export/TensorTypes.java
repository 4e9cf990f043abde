package dev.tinyforge.export;

import dev.tinyforge.quant.GgmlType;

/**
 * Which GGML type each tensor of an export gets. As in llama.cpp, 1-D tensors (norm weights,
 * biases, rope_freqs) always stay F32; 2-D weights take the export type. The quantized mixtures
 * (which tensors of a Q4_K_M file get Q6_K, and fallbacks for rows that do not fill a block) belong
 * here when the quantizers arrive.
 */
final class TensorTypes {
    private TensorTypes() {}

    /** @param ggufShape the tensor's shape in ggml order (row length first) */
    static GgmlType of(ExportType type, String ggufName, long[] ggufShape) {
        if (ggufShape.length < 2) return GgmlType.F32;
        if (type.isQuantized()) {
            throw new IllegalStateException(type + " is not available yet; TensorEncoder.requireAvailable must refuse it first");
        }
        return type.baseType();
    }
}

package dev.tinyforge.quant;

/**
 * After encoding, the check llama.cpp's {@code ggml_validate_row_data} makes: every F16 scale (and for
 * F16/BF16 every value) must be finite. With finite input this fails only when values are too large
 * for the type, e.g. |x| above 127 * 65504 for Q8_0 or above 65504 for F16.
 */
final class EncodedRowCheck {
    private EncodedRowCheck() {}

    static void check(GgmlType type, byte[] row, int at, int cols, int rowIndex) {
        switch (type) {
            case F32 -> { }
            case F16 -> checkValues(row, at, cols, rowIndex, type, 0x7C00);
            case BF16 -> checkValues(row, at, cols, rowIndex, type, 0x7F80);
            default -> {
                int[] halves = halfFields(type);
                for (int block = 0; block < cols / type.blockSize(); block++) {
                    int offset = at + block * type.typeSize();
                    for (int field : halves) {
                        if ((BlockBytes.getShort(row, offset + field) & 0x7C00) == 0x7C00) {
                            throw new QuantizationException(rowIndex, block * type.blockSize(), "the values of this "
                                    + type.blockSize() + "-value block are too large for " + type + " (its F16 scale overflows)");
                        }
                    }
                }
            }
        }
    }

    private static final int[] D_FIRST = {0}, D_AND_MIN_FIRST = {0, 2}, Q2K = {80, 82}, Q3K = {108}, Q6K = {208};

    /** Byte offsets of the F16 fields (d, and dmin or m) within a block. */
    private static int[] halfFields(GgmlType type) {
        return switch (type) {
            case Q4_0, Q5_0, Q8_0 -> D_FIRST;
            case Q4_1, Q5_1, Q4_K, Q5_K -> D_AND_MIN_FIRST;
            case Q2_K -> Q2K;
            case Q3_K -> Q3K;
            case Q6_K -> Q6K;
            default -> throw new IllegalArgumentException("no block layout for " + type);
        };
    }

    private static void checkValues(byte[] row, int at, int cols, int rowIndex, GgmlType type, int exponentMask) {
        for (int i = 0; i < cols; i++) {
            if ((BlockBytes.getShort(row, at + 2 * i) & exponentMask) == exponentMask) {
                throw new QuantizationException(rowIndex, i, "value is too large for " + type);
            }
        }
    }
}

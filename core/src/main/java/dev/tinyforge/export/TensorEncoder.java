package dev.tinyforge.export;

import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.tensor.BFloat16;
import dev.tinyforge.tensor.Float16;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The one place where float rows become a tensor's bytes, for GGUF files and for safetensors alike
 * (F32, F16 and BF16 have the same bits in both). Rows are produced one at a time, so a model is
 * written without a second copy of its weights. Quantized types are not encoded yet.
 */
public final class TensorEncoder {
    /** Produces row {@code r} of a tensor as floats into {@code out[0 .. cols)}. */
    @FunctionalInterface
    public interface RowSource {
        void row(int r, float[] out);
    }

    private TensorEncoder() {}

    /** Whether tensors of this type can be written today. */
    public static boolean canEncode(GgmlType type) {
        return type == GgmlType.F32 || type == GgmlType.F16 || type == GgmlType.BF16;
    }

    /** Fails with a clear message unless every tensor of an export to {@code type} can be written. */
    public static void requireAvailable(ExportType type) {
        if (!canEncode(type.baseType())) {
            throw new BadInputException("--type " + type.cliName() + " is not available yet: TinyForge writes f32, f16 "
                    + "and bf16 GGUF files today; the quantized types arrive with the quantizers");
        }
    }

    /** Writes {@code rows} rows of {@code cols} values, each from {@code source}, encoded as {@code type}. */
    public static void write(OutputStream out, GgmlType type, int rows, int cols, RowSource source) throws IOException {
        if (!canEncode(type)) throw new IllegalStateException(type + " cannot be encoded yet");
        float[] row = new float[cols];
        int width = type == GgmlType.F32 ? 4 : 2;
        byte[] bytes = new byte[cols * width];
        for (int r = 0; r < rows; r++) {
            source.row(r, row);
            encode(type, row, bytes);
            out.write(bytes);
        }
    }

    /** Encodes one row of floats as little-endian {@code type} values. */
    static void encode(GgmlType type, float[] row, byte[] out) {
        for (int i = 0, at = 0; i < row.length; i++) {
            int bits = switch (type) {
                case F32 -> Float.floatToRawIntBits(row[i]);
                case F16 -> Float16.fromFloat(row[i]);
                case BF16 -> BFloat16.fromFloat(row[i]);
                default -> throw new IllegalStateException(type + " cannot be encoded yet");
            };
            out[at++] = (byte) bits;
            out[at++] = (byte) (bits >>> 8);
            if (type == GgmlType.F32) {
                out[at++] = (byte) (bits >>> 16);
                out[at++] = (byte) (bits >>> 24);
            }
        }
    }
}

package dev.tinyforge.quant;

import dev.tinyforge.util.BadInputException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decodes ggml tensor data to floats: picks the {@link BlockDecoder} for a type and walks rows.
 *
 * <p>Results equal ggml's {@code dequantize_row_*} bit for bit when both round after every
 * operation. A C compiler that may contract {@code a*b + c} into a fused multiply-add (GCC in GNU
 * mode, clang) can make ggml's own output differ from that in the last bit for the types with a
 * min or offset (Q4_1, Q5_1, Q2_K, Q4_K, Q5_K); we follow the source as written.
 */
public final class Dequantizer {
    private Dequantizer() {}

    private static final Set<GgmlType> SUPPORTED = EnumSet.of(
            GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0,
            GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);

    /** Whether values of {@code type} can be decoded to floats. */
    public static boolean supports(GgmlType type) {
        return SUPPORTED.contains(type);
    }

    /** The decoder for {@code type}; a {@link BadInputException} for types we cannot decode yet. */
    public static BlockDecoder decoderFor(GgmlType type) {
        return switch (type) {
            case F32 -> FloatBlock.F32;
            case F16 -> FloatBlock.F16;
            case BF16 -> FloatBlock.BF16;
            case Q4_0 -> Q4_0Block.INSTANCE;
            case Q4_1 -> Q4_1Block.INSTANCE;
            case Q5_0 -> Q5_0Block.INSTANCE;
            case Q5_1 -> Q5_1Block.INSTANCE;
            case Q8_0 -> Q8_0Block.INSTANCE;
            case Q2_K -> Q2KBlock.INSTANCE;
            case Q3_K -> Q3KBlock.INSTANCE;
            case Q4_K -> Q4KBlock.INSTANCE;
            case Q5_K -> Q5KBlock.INSTANCE;
            case Q6_K -> Q6KBlock.INSTANCE;
            default -> throw new BadInputException("tensor type " + type + " (ggml id " + type.id()
                    + ") is not supported for decoding; supported: " + supportedNames());
        };
    }

    /**
     * Decodes {@code count} values of {@code type} (a whole number of blocks) starting at byte
     * {@code offset} of {@code src} into {@code dst[at .. at + count)}.
     */
    public static void decode(GgmlType type, MemorySegment src, long offset, float[] dst, int at, int count) {
        decoderFor(type).decode(src, offset, dst, at, count);
    }

    /** All values of {@code data}, a tensor of {@code type} with {@code count} elements, as floats. */
    public static float[] toFloats(GgmlType type, MemorySegment data, long count) {
        long bytes = type.byteSize(count);
        if (bytes < 0) throw new IllegalArgumentException(count + " values is not a whole number of " + type + " blocks");
        if (count > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(count + " values do not fit in one Java array");
        if (data.byteSize() < bytes) {
            throw new IllegalArgumentException(count + " " + type + " values need " + bytes + " bytes, got " + data.byteSize());
        }
        float[] out = new float[(int) count];
        decode(type, data, 0, out, 0, (int) count);
        return out;
    }

    private static String supportedNames() {
        return Arrays.stream(GgmlType.values()).filter(SUPPORTED::contains).map(Enum::name).collect(Collectors.joining(", "));
    }
}

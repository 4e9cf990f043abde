package dev.tinyforge.quant;

import dev.tinyforge.util.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * llama.cpp's file types ({@code llama_ftype}, stored as {@code general.file_type}): the mixture a
 * whole model is quantized to, named and numbered as {@code llama-quantize} names and numbers them.
 * Each has a default tensor type; {@link QuantMix} decides which tensors get another one.
 *
 * <p>Only the types we can encode are here: no IQ types (they need an importance matrix) and no
 * Q2_K_S (21), which llama.cpp also refuses to make without one.
 */
public enum FileType {
    F32(0, GgmlType.F32),
    F16(1, GgmlType.F16),
    Q4_0(2, GgmlType.Q4_0),
    Q4_1(3, GgmlType.Q4_1),
    Q8_0(7, GgmlType.Q8_0),
    Q5_0(8, GgmlType.Q5_0),
    Q5_1(9, GgmlType.Q5_1),
    Q2_K(10, GgmlType.Q2_K),
    Q3_K_S(11, GgmlType.Q3_K),
    Q3_K_M(12, GgmlType.Q3_K),
    Q3_K_L(13, GgmlType.Q3_K),
    Q4_K_S(14, GgmlType.Q4_K),
    Q4_K_M(15, GgmlType.Q4_K),
    Q5_K_S(16, GgmlType.Q5_K),
    Q5_K_M(17, GgmlType.Q5_K),
    Q6_K(18, GgmlType.Q6_K),
    BF16(32, GgmlType.BF16);

    private final int id;
    private final GgmlType defaultType;

    FileType(int id, GgmlType defaultType) {
        this.id = id;
        this.defaultType = defaultType;
    }

    /** The number llama.cpp writes to {@code general.file_type}. */
    public int id() {
        return id;
    }

    /** The type of every quantizable tensor before the mixture's rules ({@code llama_ftype_get_default_type}). */
    public GgmlType defaultType() {
        return defaultType;
    }

    /**
     * The file type called {@code name}, as llama-quantize accepts it: a name in any case
     * ({@code q4_k_m}), its aliases {@code Q3_K}, {@code Q4_K}, {@code Q5_K} for the _M mixtures, or the
     * numeric id. Anything else is a {@link BadInputException} listing the valid names.
     */
    public static FileType parse(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        for (FileType t : values()) {
            if (t.name().equals(upper) || String.valueOf(t.id).equals(upper)) return t;
        }
        return switch (upper) {
            case "Q3_K" -> Q3_K_M;
            case "Q4_K" -> Q4_K_M;
            case "Q5_K" -> Q5_K_M;
            default -> throw new BadInputException("unknown quantization type '" + name + "'; valid: " + names());
        };
    }

    /** All names, comma-separated, for help and error texts. */
    public static String names() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}

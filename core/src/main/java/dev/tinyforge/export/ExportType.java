package dev.tinyforge.export;

import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.util.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code --type} asks for: a GGUF file type as llama-quantize names them, with llama.cpp's
 * {@code general.file_type} number ({@code llama_ftype}) and the tensor type most weights get.
 * Mixtures (the _S/_M variants) give some tensors another type; {@link TensorTypes} decides per tensor.
 * The float types are written today; the quantized ones need the encoders the quant package is gaining,
 * and say so.
 */
public enum ExportType {
    F32(0, GgmlType.F32),
    F16(1, GgmlType.F16),
    BF16(32, GgmlType.BF16),
    Q8_0(7, GgmlType.Q8_0),
    Q4_0(2, GgmlType.Q4_0),
    Q4_1(3, GgmlType.Q4_1),
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
    Q6_K(18, GgmlType.Q6_K);

    private final int fileType;
    private final GgmlType baseType;

    ExportType(int fileType, GgmlType baseType) {
        this.fileType = fileType;
        this.baseType = baseType;
    }

    /** llama.cpp's {@code general.file_type} for this type. */
    public int fileType() {
        return fileType;
    }

    /** The tensor type of most 2-D weights. */
    public GgmlType baseType() {
        return baseType;
    }

    /** Whether the weights are quantized (as opposed to F32/F16/BF16). */
    public boolean isQuantized() {
        return baseType.isQuantized();
    }

    /** The name users type, e.g. {@code q4_k_m}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code f16}, {@code Q4_K_M}, {@code q8_0} ...; anything else is a clear error listing the names. */
    public static ExportType parse(String text) {
        String wanted = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ExportType t : values()) {
            if (t.name().equals(wanted)) return t;
        }
        throw new BadInputException("--type '" + text + "' is not a GGUF type TinyForge knows (one of "
                + Arrays.stream(values()).map(ExportType::cliName).collect(Collectors.joining(", ")) + ")");
    }
}

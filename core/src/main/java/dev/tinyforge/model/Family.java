package dev.tinyforge.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The Llama-family variants TinyForge runs. They differ by data (see {@link ModelConfig}), not by
 * code; the family only records the names the two file worlds use and how GGUF stores q/k rows.
 */
public enum Family {
    LLAMA("llama", "llama", true),
    /** GGUF has no mistral architecture of its own: llama.cpp's converter writes Mistral as llama. */
    MISTRAL("mistral", "llama", true),
    QWEN2("qwen2", "qwen2", false),
    GEMMA("gemma", "gemma", false);

    private final String hfModelType;
    private final String ggufArchitecture;
    private final boolean ggufPermutesQk;

    Family(String hfModelType, String ggufArchitecture, boolean ggufPermutesQk) {
        this.hfModelType = hfModelType;
        this.ggufArchitecture = ggufArchitecture;
        this.ggufPermutesQk = ggufPermutesQk;
    }

    /** {@code model_type} in an HF {@code config.json}. */
    public String hfModelType() {
        return hfModelType;
    }

    /** {@code general.architecture} in a GGUF file. */
    public String ggufArchitecture() {
        return ggufArchitecture;
    }

    /**
     * Whether llama.cpp's converter reorders q/k rows from HF's rotate-half RoPE layout to adjacent
     * pairs for this family (it does for the llama architecture, whose rope type is "normal"; qwen2
     * and gemma use the NeoX rope type and keep HF's order).
     */
    public boolean ggufPermutesQk() {
        return ggufPermutesQk;
    }

    public static Family fromHfModelType(String modelType) {
        for (Family f : values()) {
            if (f.hfModelType.equals(modelType)) return f;
        }
        return null;
    }

    public static Family fromGgufArchitecture(String architecture) {
        for (Family f : values()) {
            if (f.ggufArchitecture.equals(architecture)) return f;
        }
        return null;
    }

    static String supportedHfTypes() {
        return Arrays.stream(values()).map(Family::hfModelType).collect(Collectors.joining(", "));
    }

    static String supportedGgufArchitectures() {
        return Arrays.stream(values()).map(Family::ggufArchitecture).distinct().collect(Collectors.joining(", "));
    }
}

package dev.tinyforge.model;

/** The gate activation of the gated MLP: SwiGLU for Llama/Mistral/Qwen2, GeGLU (tanh GELU) for Gemma. */
public enum Activation {
    SILU,
    GELU_TANH;

    /** Maps HF's {@code hidden_act}/{@code hidden_activation} names; null when unknown. */
    static Activation fromHf(String name) {
        return switch (name) {
            case "silu", "swish" -> SILU;
            case "gelu_pytorch_tanh", "gelu_tanh", "gelu" -> GELU_TANH;
            default -> null;
        };
    }
}

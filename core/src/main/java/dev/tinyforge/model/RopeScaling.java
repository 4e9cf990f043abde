package dev.tinyforge.model;

/** How rotary position frequencies are stretched for longer contexts. */
public sealed interface RopeScaling {
    /** Plain RoPE. */
    record None() implements RopeScaling {}

    /** Positions divided by {@code factor} (HF {@code "linear"}, GGUF {@code rope.scaling.type linear}). */
    record Linear(double factor) implements RopeScaling {}

    /**
     * Llama 3.1's frequency-dependent scaling: low frequencies divided by {@code factor}, high ones
     * kept, a smooth ramp between (HF {@code rope_type "llama3"}; GGUF stores the result as a
     * {@code rope_freqs.weight} tensor instead).
     */
    record Llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalContextLength)
            implements RopeScaling {}

    RopeScaling NONE = new None();
}

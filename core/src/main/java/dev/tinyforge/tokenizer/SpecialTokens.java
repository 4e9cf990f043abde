package dev.tinyforge.tokenizer;

/**
 * The ids with a fixed role, -1 where the vocabulary has none, and whether {@code encode(..., addSpecial
 * = true)} wraps the text in BOS/EOS. These are exactly GGUF's {@code tokenizer.ggml.bos_token_id},
 * {@code eos_token_id}, {@code unknown_token_id}, {@code padding_token_id}, {@code add_bos_token} and
 * {@code add_eos_token}.
 */
public record SpecialTokens(int bos, int eos, int unk, int pad, boolean addBos, boolean addEos) {
    public static final SpecialTokens NONE = new SpecialTokens(-1, -1, -1, -1, false, false);

    public SpecialTokens {
        if (addBos && bos < 0) throw new IllegalArgumentException("addBos without a BOS token");
        if (addEos && eos < 0) throw new IllegalArgumentException("addEos without an EOS token");
    }
}

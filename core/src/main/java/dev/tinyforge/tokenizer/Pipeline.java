package dev.tinyforge.tokenizer;

/**
 * How a {@link Tokenizer} turns text into ids and back. The two families of files we read define this
 * differently in the details that decide ids (how special tokens are found, where spaces go, how
 * pieces are rendered), so each gets its own implementation over the shared parts (vocabulary, BPE,
 * scanners): HF's tokenizer.json pipeline, and llama.cpp's rules for GGUF vocabularies.
 */
sealed interface Pipeline permits HfPipeline, LlamaCppPipeline {

    /** Appends the ids of {@code text} (no BOS/EOS; the tokenizer adds those). */
    void encode(String text, boolean parseSpecial, IntList out);

    /** The text of {@code ids[from, to)}. */
    String decode(int[] ids, int from, int to, boolean skipSpecial);

    /** See {@link Tokenizer#tokenBytes}. */
    byte[] tokenBytes(int id);

    /** Whether {@code decode} with {@code skipSpecial} leaves {@code id} out. */
    boolean isSpecial(int id);

    /**
     * Whether the end of {@code decoded} may still change when more ids follow (beyond an unfinished
     * character, which the streaming decoder detects itself), so that streaming must hold it back.
     */
    default boolean tailMayChange(String decoded) {
        return false;
    }
}

package dev.tinyforge.generate;

import dev.tinyforge.tokenizer.TokenType;
import dev.tinyforge.tokenizer.Tokenizer;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The tokens that end an assistant's turn: EOS, plus the end-of-turn tokens chat models are trained to
 * emit instead. Which tokens those are is not recorded anywhere in HF or GGUF files (a base model's EOS
 * is often {@code <|end_of_text|>} while its instruct template closes turns with {@code <|eot_id|>}), so
 * they are found by name, as llama.cpp does (its "end of generation" set).
 */
public final class StopTokens {
    /** Known end-of-turn pieces: Llama 3, ChatML/Qwen, Phi-3, Gemma, GPT-2 style, Granite, gpt-oss, CodeLlama, SmolVLM, DeepSeek. */
    static final List<String> END_OF_TURN = List.of("<|eot_id|>", "<|eom_id|>", "<|im_end|>", "<|end|>",
            "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<|return|>", "<|call|>", "<EOT>",
            "<end_of_utterance>", "<｜end▁of▁sentence｜>");

    private StopTokens() {}

    /**
     * EOS (when the tokenizer has one) and every known end-of-turn piece that the vocabulary holds as a
     * control token. Only control tokens count: an ordinary piece that happens to spell {@code <|end|>}
     * is text the model may legitimately write.
     */
    public static SortedSet<Integer> of(Tokenizer tokenizer) {
        SortedSet<Integer> ids = new TreeSet<>();
        if (tokenizer.eos() >= 0) ids.add(tokenizer.eos());
        for (String piece : END_OF_TURN) {
            int id = tokenizer.id(piece);
            if (id >= 0 && tokenizer.vocabulary().type(id) == TokenType.CONTROL) ids.add(id);
        }
        return Collections.unmodifiableSortedSet(ids);
    }
}

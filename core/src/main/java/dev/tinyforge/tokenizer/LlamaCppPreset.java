package dev.tinyforge.tokenizer;

import static dev.tinyforge.tokenizer.LlamaCppRegexes.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a {@code tokenizer.ggml.pre} name means to llama.cpp for a "gpt2" (byte-level BPE) vocabulary: the
 * pre-tokenizer regexes, whether a word that is itself a token skips the merges (Llama 3), whether
 * detokenizing cleans up spaces before punctuation, and the defaults for add_bos and the BOS id.
 *
 * @param addBos add BOS when the GGUF has no {@code add_bos_token}
 * @param noBos the BOS id defaults to none instead of 11 (ChatGLM)
 */
record LlamaCppPreset(List<String> regexes, boolean ignoreMerges, boolean cleanSpaces, boolean addBos, boolean noBos) {
    private static final Map<String, LlamaCppPreset> BY_NAME = new HashMap<>();

    private static void add(LlamaCppPreset preset, String... names) {
        for (String name : names) BY_NAME.put(name, preset);
    }

    private static LlamaCppPreset of(List<String> regexes, boolean cleanSpaces) {
        return new LlamaCppPreset(regexes, false, cleanSpaces, false, false);
    }

    static {
        add(of(DEFAULT, true), "default");
        add(of(List.of(GPT2), true), "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de",
                "a.x-4.0", "mellum", "modern-bert", "exaone4", "mpt", "olmo", "jais");
        add(of(List.of(GPT2), false), "trillion", "granite-docling");
        add(new LlamaCppPreset(List.of(LLAMA3), true, true, true, false), "llama3", "llama-v3", "llama-bpe", "falcon3",
                "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano");
        add(of(List.of(LLAMA3), true), "dbrx", "smaug-bpe");
        add(new LlamaCppPreset(List.of(LLAMA3), false, true, false, true), "chatglm-bpe", "glm4");
        add(of(List.of(QWEN2), false), "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "hunyuan", "solar-open", "grok-2");
        add(of(List.of(QWEN2), true), "stablelm2", "megrez");
        add(of(STARCODER, true), "starcoder", "refact", "codeshell", "exaone", "minerva-7b", "mellum2");
        add(of(STARCODER, false), "command-r", "smollm");
        add(of(FALCON, true), "falcon");
        add(of(DEEPSEEK_CODER, false), "deepseek-coder");
        add(of(DEEPSEEK_LLM, false), "deepseek-llm");
        add(of(DEEPSEEK_V3, false), "deepseek-v3", "hunyuan-dense", "joyai-llm", "hy_v4");
        add(of(List.of(PORO), false), "poro-chat");
        add(of(List.of(PORO), true), "bloom", "gpt3-finnish");
        add(of(List.of(PORO, "\\p{N}"), false), "viking");
        add(new LlamaCppPreset(List.of(TEKKEN), true, false, true, false), "tekken");
        add(of(List.of(GPT4O), false), "gpt-4o", "llama4", "kanana2", "talkie", "minimax-m2");
        add(of(List.of(SEED_CODER), false), "seed-coder");
        add(of(List.of(BAILINGMOE), false), "bailingmoe", "bailingmoe2", "llada-moe");
    }

    /** llama.cpp's meaning of {@code pre}, or null when we do not support it; "" (absent) means "default". */
    static LlamaCppPreset forName(String pre) {
        return BY_NAME.get(pre.isEmpty() ? "default" : pre);
    }

    /** The names {@link #forName} knows, sorted, for error messages. */
    static Set<String> names() {
        return new TreeSet<>(BY_NAME.keySet());
    }
}

package dev.tinyforge.tokenizer;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The attribute changes llama.cpp makes by token text after reading {@code token_type}, because
 * converters often type chat-control tokens as user-defined or normal. They change what is matched in
 * text without special parsing and what decoding skips, so the ids depend on them:
 * <ul>
 *   <li>end-of-generation tokens ({@code <|im_end|>}, {@code </s>}, {@code <|endoftext|>} ...) become CONTROL;</li>
 *   <li>for each fill-in-the-middle role whose id the file does not give, the first token named for it
 *       becomes CONTROL (llama.cpp takes the first in hash-map order; we take the lowest id);</li>
 *   <li>gpt-oss's {@code <|channel|>} family becomes USER_DEFINED; {@code <|end|>} does too next to
 *       {@code <|return|>}/{@code <|call|>}, and {@code </s>} becomes NORMAL next to {@code <|tool_response>};</li>
 *   <li>by model name: Phi-3's special tokens drop the white space after them (RSTRIP), Jina v2's and
 *       ModernBERT's mask token the white space before it (LSTRIP).</li>
 * </ul>
 */
final class LlamaCppTokenFixups {
    private LlamaCppTokenFixups() {}

    private static final Set<String> END_OF_GENERATION = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>",
            "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>",
            "[EOT]", "[EOS]", "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
            "<\uFF5Cend\u2581of\u2581sentence\uFF5C>", "[e~[");

    /** Fill-in-the-middle roles (by their GGUF id key) and the token names llama.cpp looks for when the key is absent. */
    static final Map<String, List<String>> FIM_NAMES = Map.of(
            "fim_pre", List.of("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<\uFF5Cfim\u2581begin\uFF5C>", "<PRE>",
                    "\u2581<PRE>", "<|code_prefix|>", "<|prefix|>"),
            "fim_suf", List.of("<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<\uFF5Cfim\u2581hole\uFF5C>", "<SUF>",
                    "\u2581<SUF>", "<|code_suffix|>", "<|suffix|>"),
            "fim_mid", List.of("<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<\uFF5Cfim\u2581end\uFF5C>", "<MID>",
                    "\u2581<MID>", "<|code_middle|>", "<|middle|>"),
            "fim_pad", List.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"),
            "fim_rep", List.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"),
            "fim_sep", List.of("<|file_sep|>"));

    private static final Set<String> ALWAYS_RENDERED = Set.of("<|channel|>", "<|message|>", "<|start|>", "<|constrain|>");

    /**
     * Applies the changes to {@code attrs} in llama.cpp's order.
     *
     * @param vocabulary piece → id, -1 when absent
     * @param fimRolesGiven the roles of {@link #FIM_NAMES} whose id the file sets
     * @param modelName {@code general.name}, or ""
     */
    static void apply(ToIntFunction<String> vocabulary, int[] attrs, Set<String> fimRolesGiven, String modelName, String pre,
            String architecture) {
        for (Map.Entry<String, List<String>> role : FIM_NAMES.entrySet()) {
            if (fimRolesGiven.contains(role.getKey())) continue;
            int first = Integer.MAX_VALUE;
            for (String name : role.getValue()) {
                int id = vocabulary.applyAsInt(name);
                if (id >= 0) first = Math.min(first, id);
            }
            if (first != Integer.MAX_VALUE) attrs[first] |= TokenAttr.CONTROL;
        }
        for (String name : END_OF_GENERATION) {
            int id = vocabulary.applyAsInt(name);
            if (id >= 0) attrs[id] |= TokenAttr.CONTROL;
        }
        for (String name : ALWAYS_RENDERED) {
            int id = vocabulary.applyAsInt(name);
            if (id >= 0) attrs[id] = TokenAttr.USER_DEFINED;
        }
        boolean call = has(vocabulary, "<|call|>") || has(vocabulary, "<|calls|>");
        boolean end = has(vocabulary, "<|end|>");
        if (end && call && (has(vocabulary, "<|return|>") || has(vocabulary, "<|flush|>"))) {
            attrs[vocabulary.applyAsInt("<|end|>")] = TokenAttr.USER_DEFINED;
        }
        if (has(vocabulary, "<|tool_response>") && has(vocabulary, "</s>")) attrs[vocabulary.applyAsInt("</s>")] = TokenAttr.NORMAL;

        String name = modelName.toLowerCase(Locale.ROOT);
        if (pre.contains("jina-v2-de") || pre.contains("jina-v2-es") || pre.contains("jina-v2-code")
                || architecture.contains("nomic-bert-moe") || architecture.contains("jina-bert-v3")) {
            setFlag(vocabulary, attrs, "<mask>", TokenAttr.LSTRIP, true);
        } else if (name.contains("phi-3") || name.contains("phi3")) {
            for (int id = 0; id < attrs.length; id++) {
                if ((attrs[id] & TokenAttr.MATCHED_IN_TEXT) != 0) attrs[id] |= TokenAttr.RSTRIP;
            }
            setFlag(vocabulary, attrs, "</s>", TokenAttr.RSTRIP, true);
            for (String t : List.of("<unk>", "<s>", "<|endoftext|>")) setFlag(vocabulary, attrs, t, TokenAttr.RSTRIP, false);
        } else if (name.contains("modern-bert")) {
            setFlag(vocabulary, attrs, "[MASK]", TokenAttr.LSTRIP, true);
        }
    }

    private static boolean has(ToIntFunction<String> vocabulary, String piece) {
        return vocabulary.applyAsInt(piece) >= 0;
    }

    private static void setFlag(ToIntFunction<String> vocabulary, int[] attrs, String piece, int flag, boolean on) {
        int id = vocabulary.applyAsInt(piece);
        if (id < 0) return; // llama.cpp fails to load the model here; a missing token changes nothing for us
        attrs[id] = on ? attrs[id] | flag : attrs[id] & ~flag;
    }
}

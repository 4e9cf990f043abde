package dev.tinyforge.generate;

import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.template.ChatTemplate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a conversation into the token ids a chat model expects, the way llama.cpp's server does: the
 * model's template (or ChatML when it has none) rendered with {@code add_generation_prompt}, system
 * messages merged into the user turn when the template has no system role, a leading BOS text removed
 * when the tokenizer adds BOS itself, then tokenized with special tokens parsed. Immutable.
 *
 * <pre>{@code
 * ChatPrompt chat = ChatPrompt.of(ChatTemplateFiles.fromModel(dir).orElse(null), tokenizer);
 * int[] ids = chat.encode(List.of(Map.of("role", "user", "content", "Hi")));
 * }</pre>
 */
public final class ChatPrompt {
    /** What ends a ChatML turn; a stop string when the vocabulary has no such token. */
    private static final String CHATML_END = "<|im_end|>";

    private final ChatTemplate template;
    private final boolean fallback;
    private final Tokenizer tokenizer;
    private final Map<String, ?> variables;
    private final Set<Integer> stopIds;
    private final List<String> stopStrings;

    private ChatPrompt(ChatTemplate template, boolean fallback, Tokenizer tokenizer, Map<String, ?> variables) {
        this.template = template;
        this.fallback = fallback;
        this.tokenizer = tokenizer;
        this.variables = variables;
        this.stopIds = StopTokens.of(tokenizer);
        // A model without ChatML tokens sees "<|im_end|>" as plain text; if it writes that text, its turn is over.
        this.stopStrings = fallback && tokenizer.id(CHATML_END) < 0 ? List.of(CHATML_END) : List.of();
    }

    /**
     * @param template the model's chat template, or null to fall back to {@link ChatTemplate#CHATML}
     *                 (see {@link #isFallback()})
     */
    public static ChatPrompt of(ChatTemplate template, Tokenizer tokenizer) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        return new ChatPrompt(template == null ? ChatTemplate.CHATML : template, template == null, tokenizer, Map.of());
    }

    /** The same prompt with more template variables ({@code enable_thinking}, {@code tools}, {@code date_string} ...). */
    public ChatPrompt withVariables(Map<String, ?> variables) {
        return new ChatPrompt(template, fallback, tokenizer, Map.copyOf(variables));
    }

    public ChatTemplate template() {
        return template;
    }

    /** Whether the model had no template and ChatML is used instead (callers tell the user). */
    public boolean isFallback() {
        return fallback;
    }

    /**
     * The prompt text for {@code messages} (maps with "role" and "content"), ending with the header of
     * the assistant's turn, before tokenization: a BOS the tokenizer adds anyway is not in it.
     *
     * @throws dev.tinyforge.tokenizer.template.TemplateException when the template fails on these messages
     */
    public String render(List<? extends Map<String, ?>> messages) {
        String text = template.render(template.adaptMessages(messages), true, tokenText(tokenizer.bos()),
                tokenText(tokenizer.eos()), variables);
        // llama.cpp's rule: templates write bos_token themselves, and so does the tokenizer; keep one.
        return tokenizer.specialTokens().addBos() ? ChatTemplate.stripLeadingBos(text, tokenText(tokenizer.bos())) : text;
    }

    /** The ids of {@link #render}: special tokens in the text become single ids; BOS is added if the tokenizer adds it. */
    public int[] encode(List<? extends Map<String, ?>> messages) {
        int[] ids = tokenizer.encode(render(messages), true, true);
        // A tokenizer that appends EOS would close the assistant's turn before it begins.
        if (tokenizer.specialTokens().addEos() && ids.length > 0 && ids[ids.length - 1] == tokenizer.eos()) {
            ids = Arrays.copyOf(ids, ids.length - 1);
        }
        return ids;
    }

    /** Tokens that end the reply: EOS and the end-of-turn tokens of {@link StopTokens}. */
    public Set<Integer> stopIds() {
        return stopIds;
    }

    /** Texts that end the reply although no token marks them (ChatML's end on a vocabulary without it). */
    public List<String> stopStrings() {
        return stopStrings;
    }

    /** The text of a special token as templates see it ({@code bos_token}); empty when there is none, as in llama.cpp. */
    private String tokenText(int id) {
        String piece = id < 0 ? null : tokenizer.piece(id);
        return piece == null ? "" : piece;
    }
}

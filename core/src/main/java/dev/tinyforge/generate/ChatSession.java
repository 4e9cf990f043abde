package dev.tinyforge.generate;

import dev.tinyforge.generate.constraint.Grammar;
import dev.tinyforge.model.KvCache;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.util.BadInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A conversation with a model: each user message is answered from the whole conversation rendered
 * anew through the chat template, and the reply joins the conversation. The KV cache is kept between
 * turns and only the part of the new prompt after the longest common prefix of ids is evaluated, so
 * a turn costs its own tokens, not the whole history (llama.cpp's server reuses its cache the same way).
 * Not thread-safe: one conversation, one caller.
 */
public final class ChatSession {
    private final Generator generator;
    private final ChatPrompt prompt;
    private final String system;
    private final KvCache cache;
    private final List<Map<String, Object>> messages = new ArrayList<>();
    /** The ids whose keys and values the cache holds, {@code cache.length()} of them. */
    private int[] cached = new int[0];

    /**
     * @param system a system prompt that starts every conversation, or null for none
     */
    public ChatSession(Transformer transformer, Tokenizer tokenizer, ChatPrompt prompt, String system) {
        this.generator = new Generator(transformer, tokenizer);
        this.prompt = prompt;
        this.system = system;
        this.cache = transformer.newCache();
        reset();
    }

    /** Forgets the conversation except the system prompt. */
    public void reset() {
        messages.clear();
        if (system != null) messages.add(message("system", system));
    }

    /** The conversation so far (system, user and assistant messages), read-only. */
    public List<Map<String, Object>> messages() {
        return messages.stream().map(Map::copyOf).toList();
    }

    /**
     * Sends a user message and generates the reply, streaming its text to {@code onText}. The reply
     * stops at the prompt's stop tokens and strings, plus {@code extraStops}. Afterwards both messages
     * are part of the conversation.
     *
     * @throws BadInputException when the conversation no longer fits the context; it is left unchanged
     */
    public Generator.Result send(String userText, SamplingParams sampling, int maxTokens, List<String> extraStops,
                                 Consumer<String> onText) {
        return send(userText, sampling, maxTokens, extraStops, null, onText);
    }

    /**
     * As {@link #send(String, SamplingParams, int, List, Consumer)}, with the reply held to {@code grammar}
     * (a {@link dev.tinyforge.generate.constraint.JsonGrammar}, say); null for free text.
     */
    public Generator.Result send(String userText, SamplingParams sampling, int maxTokens, List<String> extraStops,
                                 Grammar grammar, Consumer<String> onText) {
        messages.add(message("user", userText));
        try {
            int[] ids = prompt.encode(messages);
            if (ids.length >= cache.capacity()) {
                throw new BadInputException("the conversation has " + ids.length + " tokens; the context holds "
                        + cache.capacity() + " (/reset starts a new one)");
            }
            List<String> stops = new ArrayList<>(prompt.stopStrings());
            stops.addAll(extraStops);
            Generator.Result result = generate(new Generator.Request(ids, sampling, maxTokens, stops, prompt.stopIds(), grammar), onText);
            messages.add(message("assistant", result.text()));
            return result;
        } catch (RuntimeException e) {
            messages.removeLast();
            throw e;
        }
    }

    private Generator.Result generate(Generator.Request request, Consumer<String> onText) {
        int[] ids = request.promptIds();
        // At least one prompt token must be evaluated to get the logits of the next one.
        int reuse = Math.min(commonPrefix(cached, ids), ids.length - 1);
        cache.truncate(reuse);
        cached = new int[0]; // unknown until generation returns normally
        Generator.Result result = generator.generate(request, cache, onText);
        int[] all = Arrays.copyOf(ids, ids.length + result.ids().length);
        System.arraycopy(result.ids(), 0, all, ids.length, result.ids().length);
        cached = Arrays.copyOf(all, cache.length());
        return result;
    }

    private static int commonPrefix(int[] a, int[] b) {
        int mismatch = Arrays.mismatch(a, b);
        return mismatch < 0 ? a.length : mismatch;
    }

    private static Map<String, Object> message(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }
}

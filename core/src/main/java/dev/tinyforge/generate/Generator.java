package dev.tinyforge.generate;

import dev.tinyforge.generate.constraint.Grammar;
import dev.tinyforge.generate.constraint.TokenConstraint;
import dev.tinyforge.model.KvCache;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.tokenizer.StreamingDecoder;
import dev.tinyforge.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The decoding loop: evaluates the prompt in one batch, then samples a token at a time, streaming
 * text as whole characters, until an end token, a stop string or the token limit.
 */
public final class Generator {
    private final Transformer transformer;
    private final Tokenizer tokenizer;

    public Generator(Transformer transformer, Tokenizer tokenizer) {
        this.transformer = transformer;
        this.tokenizer = tokenizer;
    }

    /**
     * Why generation ended. END_TOKEN also covers a grammar's text that is complete and cannot go on (the
     * generator stops there without waiting for an end token). Under a grammar, MAX_TOKENS and
     * CONTEXT_FULL mean the text may be incomplete (OpenAI's finish_reason "length").
     */
    public enum StopReason { END_TOKEN, STOP_STRING, MAX_TOKENS, CONTEXT_FULL }

    /**
     * @param stopIds tokens that end generation (EOS, end-of-turn); they are not part of the text
     * @param grammar null for free text; otherwise every token is drawn from those the grammar allows
     *                (masked before penalties, top-k, top-p and temperature), end tokens only once its text
     *                is complete, and the text is exactly the tokens' bytes that the grammar checked
     */
    public record Request(int[] promptIds, SamplingParams sampling, int maxTokens, List<String> stopStrings,
                          Set<Integer> stopIds, Grammar grammar) {
        /** A request for free text. */
        public Request(int[] promptIds, SamplingParams sampling, int maxTokens, List<String> stopStrings, Set<Integer> stopIds) {
            this(promptIds, sampling, maxTokens, stopStrings, stopIds, null);
        }
    }

    /**
     * The generated tokens and text, why it stopped, and timings for throughput reports.
     *
     * @param promptTokens the prompt tokens evaluated: all of them, less those a reused cache held
     */
    public record Result(int[] ids, String text, StopReason reason, int promptTokens, long promptNanos, long generateNanos) {
        public double promptTokensPerSecond() {
            return promptNanos == 0 ? 0 : promptTokens * 1e9 / promptNanos;
        }

        public double generatedTokensPerSecond() {
            return generateNanos == 0 ? 0 : ids.length * 1e9 / generateNanos;
        }
    }

    public Result generate(Request request, Consumer<String> onText) {
        return generate(request, transformer.newCache(), onText);
    }

    /**
     * Generates with {@code cache}, which may already hold the keys and values of a prefix of the prompt
     * (a conversation's earlier turns): only {@code promptIds[cache.length()..]} is evaluated. Afterwards
     * the cache holds the prompt and the generated tokens except the last one (never fed back).
     *
     * @param cache a cache of this generator's transformer whose positions hold exactly the first
     *              {@code cache.length()} prompt ids, fewer than the whole prompt
     */
    public Result generate(Request request, KvCache cache, Consumer<String> onText) {
        int[] prompt = request.promptIds();
        if (prompt.length == 0) throw new IllegalArgumentException("the prompt has no tokens");
        if (prompt.length >= cache.capacity()) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens; the context holds "
                    + cache.capacity());
        }
        int reused = cache.length();
        if (reused >= prompt.length) {
            throw new IllegalArgumentException("the cache holds " + reused + " positions; the prompt has only " + prompt.length);
        }
        Sampler sampler = new Sampler(request.sampling(), transformer.config().vocabSize());
        TokenConstraint constraint = request.grammar() == null ? null : request.grammar().constraint(tokenizer, request.stopIds());
        TextStream decoder = constraint == null ? new Decoded(tokenizer.streamingDecoder(true).prime(prompt)) : new RawBytes(tokenizer);
        StopStrings stops = new StopStrings(request.stopStrings());
        StringBuilder text = new StringBuilder();
        int[] history = Arrays.copyOf(prompt, prompt.length + Math.max(0, request.maxTokens()));
        int length = prompt.length;

        long start = System.nanoTime();
        float[] logits = transformer.forward(prompt, reused, prompt.length - reused, cache, false);
        long promptDone = System.nanoTime();
        StopReason reason = StopReason.MAX_TOKENS;
        int generated = 0;
        while (generated < request.maxTokens()) {
            if (constraint != null && !constraint.mask(logits)) {
                reason = StopReason.END_TOKEN; // complete, and the tokenizer has no end token to say so
                break;
            }
            int token = sampler.sample(logits, history, length);
            if (constraint != null && !constraint.allows(token)) {
                throw new IllegalStateException("the sampler picked token " + token + ", which the grammar does not allow");
            }
            if (request.stopIds().contains(token)) {
                reason = StopReason.END_TOKEN;
                break;
            }
            if (constraint != null) constraint.accept(token);
            history[length++] = token;
            generated++;
            String shown = stops.accept(decoder.accept(token));
            text.append(shown);
            if (!shown.isEmpty()) onText.accept(shown);
            if (stops.stopped()) {
                reason = StopReason.STOP_STRING;
                break;
            }
            if (constraint != null && constraint.mustEnd()) {
                reason = StopReason.END_TOKEN;
                break;
            }
            if (generated == request.maxTokens()) break;
            if (cache.length() >= cache.capacity()) {
                reason = StopReason.CONTEXT_FULL;
                break;
            }
            logits = transformer.forward(history, length - 1, 1, cache, false);
        }
        if (reason != StopReason.STOP_STRING) {
            String rest = stops.accept(decoder.flush()) + stops.flush();
            text.append(rest);
            if (!rest.isEmpty()) onText.accept(rest);
        }
        long end = System.nanoTime();
        return new Result(Arrays.copyOfRange(history, prompt.length, length), text.toString(), reason,
                prompt.length - reused, promptDone - start, end - promptDone);
    }

    /** Generated text as it becomes complete, a token at a time. */
    private sealed interface TextStream permits Decoded, RawBytes {
        String accept(int token);

        String flush();
    }

    /** Free text: the tokenizer's own decoding (its space clean-up and all). */
    private record Decoded(StreamingDecoder decoder) implements TextStream {
        public String accept(int token) {
            return decoder.accept(token);
        }

        public String flush() {
            return decoder.flush();
        }
    }

    /**
     * Text under a grammar: the tokens' bytes exactly as the grammar checked them, so that no decoding rule
     * that rewrites the text (llama.cpp's removal of a space before punctuation) can change a valid value.
     */
    private record RawBytes(Tokenizer tokenizer, Utf8Chunks chunks) implements TextStream {
        RawBytes(Tokenizer tokenizer) {
            this(tokenizer, new Utf8Chunks());
        }

        public String accept(int token) {
            return chunks.accept(tokenizer.tokenBytes(token));
        }

        public String flush() {
            return chunks.flush();
        }
    }
}

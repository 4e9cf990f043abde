package dev.tinyforge.generate;

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

    /** Why generation ended. */
    public enum StopReason { END_TOKEN, STOP_STRING, MAX_TOKENS, CONTEXT_FULL }

    /**
     * @param stopIds tokens that end generation (EOS, end-of-turn); they are not part of the text
     */
    public record Request(int[] promptIds, SamplingParams sampling, int maxTokens, List<String> stopStrings,
                          Set<Integer> stopIds) {}

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
        StreamingDecoder decoder = tokenizer.streamingDecoder(true).prime(prompt);
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
            int token = sampler.sample(logits, history, length);
            if (request.stopIds().contains(token)) {
                reason = StopReason.END_TOKEN;
                break;
            }
            history[length++] = token;
            generated++;
            String shown = stops.accept(decoder.accept(token));
            text.append(shown);
            if (!shown.isEmpty()) onText.accept(shown);
            if (stops.stopped()) {
                reason = StopReason.STOP_STRING;
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
}

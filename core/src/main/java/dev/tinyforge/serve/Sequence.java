package dev.tinyforge.serve;

import dev.tinyforge.generate.Sampler;
import dev.tinyforge.generate.StopStrings;
import dev.tinyforge.generate.Utf8Chunks;
import dev.tinyforge.model.KvCache;
import dev.tinyforge.model.SequenceChunk;
import dev.tinyforge.tokenizer.StreamingDecoder;
import dev.tinyforge.tokenizer.Tokenizer;
import java.util.Arrays;

/**
 * A generation holding a slot: its cache, sampler, text decoder and stop rules. The prompt is
 * evaluated in chunks, from the end of the prefix the slot's cache already held; each later step feeds
 * the last sampled token. Used by the batcher only.
 */
final class Sequence {
    final Generation generation;
    final Slot slot;
    final KvCache cache;
    private final GenerationRequest request;
    private final Sampler sampler;
    private final Tokenizer tokenizer;
    /** Free text: the tokenizer's decoding; null when the hook wants the exact bytes ({@link #exactBytes}). */
    private final StreamingDecoder decoder;
    private final Utf8Chunks exactBytes;
    private final StopStrings stops;
    private final StringBuilder text = new StringBuilder();
    /** The prompt, then the generated tokens. */
    private final int[] history;
    private final int promptLength;
    /** Prompt tokens whose keys and values came from the slot's cache, not from evaluating them. */
    private final int cachedPrompt;
    private int length;
    private final long admitted;
    private long firstLogits;
    /** Text of the last sampled token not yet handed to the client. */
    private String pendingText = "";
    private FinishReason ended;

    /** Takes {@code slot}, whose cache holds the first {@code reused} prompt tokens (0: a cold start). */
    Sequence(Generation generation, Slot slot, int reused, Tokenizer tokenizer, int vocabSize) {
        this.generation = generation;
        this.request = generation.request();
        this.slot = slot;
        this.cache = slot.cache;
        this.sampler = new Sampler(request.sampling(), vocabSize);
        int[] prompt = request.promptIds();
        this.tokenizer = tokenizer;
        boolean exact = request.hook() != null && request.hook().exactBytes();
        this.decoder = exact ? null : tokenizer.streamingDecoder(true).prime(prompt);
        this.exactBytes = exact ? new Utf8Chunks() : null;
        this.stops = new StopStrings(request.stopStrings());
        this.promptLength = prompt.length;
        this.history = Arrays.copyOf(prompt, prompt.length + Math.min(request.maxTokens(), cache.capacity()));
        this.length = prompt.length;
        this.admitted = System.nanoTime();
        if (reused < 0 || reused >= prompt.length) throw new IllegalArgumentException("cannot reuse " + reused + " prompt tokens");
        slot.take(reused);
        this.cachedPrompt = reused;
    }

    /** The prompt, then the generated tokens: what the cache holds is a prefix of these. */
    int[] tokens() {
        return history;
    }

    long admitted() {
        return admitted;
    }

    boolean prefilling() {
        return cache.length() < promptLength;
    }

    /** This step's work: up to {@code budget} prompt tokens, or the last sampled token. */
    SequenceChunk nextChunk(int budget) {
        if (prefilling()) {
            int from = cache.length();
            return new SequenceChunk(history, from, Math.min(budget, promptLength - from), cache, false);
        }
        return new SequenceChunk(history, length - 1, 1, cache, false);
    }

    /**
     * Picks the next token from the logits of a step that reached the end of the known tokens, and
     * decides whether generation ends. Touches only this sequence, so sequences sample in parallel.
     */
    void sample(float[] logits) {
        if (firstLogits == 0) firstLogits = System.nanoTime();
        LogitsHook hook = request.hook();
        if (hook != null) {
            hook.mask(logits);
            if (hook.complete()) { // nothing may come next, not even an end token
                ended = FinishReason.STOP;
                return;
            }
        }
        int token = sampler.sample(logits, history, length);
        if (request.stopIds().contains(token)) {
            ended = FinishReason.STOP;
            return;
        }
        if (hook != null) hook.accept(token);
        history[length++] = token;
        pendingText = stops.accept(decoder != null ? decoder.accept(token) : exactBytes.accept(tokenizer.tokenBytes(token)));
        text.append(pendingText);
        if (stops.stopped() || (hook != null && hook.complete())) {
            ended = FinishReason.STOP;
        } else if (generated() >= request.maxTokens()) {
            ended = FinishReason.LENGTH;
        } else if (cache.length() >= cache.capacity()) {
            ended = FinishReason.CONTEXT_FULL;
        }
    }

    /** The text the last {@link #sample} produced, once; empty if none. */
    String takeText() {
        String t = pendingText;
        pendingText = "";
        return t;
    }

    /** Why generation must end after the last {@link #sample}, or null to go on. */
    FinishReason ended() {
        return ended;
    }

    int generated() {
        return length - promptLength;
    }

    /** The text held back for stop strings or unfinished characters, released at a normal end. */
    String flush() {
        if (stops.stopped()) return "";
        String rest = stops.accept(decoder != null ? decoder.flush() : exactBytes.flush()) + stops.flush();
        text.append(rest);
        return rest;
    }

    Outcome outcome(FinishReason reason, String error) {
        long now = System.nanoTime();
        long prompt = firstLogits == 0 ? now - admitted : firstLogits - admitted;
        long generate = firstLogits == 0 ? 0 : now - firstLogits;
        return new Outcome(reason, text.toString(), error, promptLength, cachedPrompt, generated(),
                admitted - generation.submitted(), prompt, generate);
    }
}

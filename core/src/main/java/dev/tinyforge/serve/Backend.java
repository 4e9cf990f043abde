package dev.tinyforge.serve;

import dev.tinyforge.generate.SamplingParams;
import dev.tinyforge.generate.constraint.Grammar;
import dev.tinyforge.generate.constraint.JsonGrammar;
import dev.tinyforge.util.BadInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What every API needs behind its JSON: the served model, prompts from chat messages or text, and
 * submission to the batcher with the request's time limit. Problems become {@link ApiException}s.
 */
final class Backend {
    final ServedModel model;
    final Batcher batcher;
    final ServeOptions options;

    /**
     * The vocabulary tables of constrained decoding ({@link JsonGrammar#prepare}), built in the background
     * from the start, so the first JSON request does not pay for them; one that comes earlier waits.
     */
    final CompletableFuture<Void> jsonTables;

    Backend(ServedModel model, Batcher batcher, ServeOptions options) {
        this.model = model;
        this.batcher = batcher;
        this.options = options;
        this.jsonTables = CompletableFuture.runAsync(() -> JsonGrammar.prepare(model.tokenizer()),
                task -> Thread.ofVirtual().name("tinyforge-json-tables").start(task));
    }

    int contextLength() {
        return batcher.contextLength();
    }

    /** The ids of a conversation through the chat template, ending with the assistant's header. */
    int[] chatPrompt(List<Map<String, Object>> messages) {
        try {
            return model.chatPrompt().encode(messages);
        } catch (BadInputException e) {
            throw ApiException.badField("messages", "cannot be rendered with the chat template: " + e.getMessage());
        }
    }

    /** The ids of a plain text prompt: BOS if the tokenizer adds one, special tokens in the text parsed. */
    int[] textPrompt(String text) {
        int[] ids = model.tokenizer().encode(text, true, true);
        if (ids.length == 0) {
            if (model.tokenizer().bos() < 0) throw ApiException.badField("prompt", "is empty and the model has no BOS token");
            ids = new int[] {model.tokenizer().bos()};
        }
        return ids;
    }

    /**
     * The token limit: the request's (at most the context, anything larger is refused as absurd), else
     * whatever the context leaves. Generation also ends when the context is full.
     */
    int maxTokens(String field, Long requested, int promptLength) {
        checkFits(promptLength);
        int left = contextLength() - promptLength;
        if (requested == null) return left;
        if (requested > contextLength()) {
            throw ApiException.badField(field, "is " + requested + ", more than the context of " + contextLength()
                    + " tokens can hold");
        }
        return (int) Math.min(requested, left);
    }

    void checkFits(int promptLength) {
        if (promptLength >= contextLength()) {
            throw new ApiException(400, "the prompt has " + promptLength + " tokens; the context holds " + contextLength()
                    + " (prompt and answer together)", null);
        }
    }

    /** Stop tokens of chat replies (EOS, end of turn) and of plain completions (EOS). */
    Set<Integer> chatStopIds() {
        return model.chatPrompt().stopIds();
    }

    Set<Integer> textStopIds() {
        Set<Integer> ids = new HashSet<>();
        if (model.tokenizer().eos() >= 0) ids.add(model.tokenizer().eos());
        return ids;
    }

    /**
     * Stop strings of chat replies: the request's plus the template's own (ChatML's end on a vocabulary
     * without it). Under a grammar the template's are left out: the grammar ends the answer when the value
     * is complete, and an end marker written inside a JSON string must not cut the value.
     */
    List<String> chatStops(List<String> requested, Grammar grammar) {
        List<String> stops = new ArrayList<>(requested);
        if (grammar == null) stops.addAll(model.chatPrompt().stopStrings());
        return stops;
    }

    static SamplingParams sampling(double temperature, int topK, double topP, double minP, double repeatPenalty,
                                   double frequencyPenalty, double presencePenalty, int penaltyWindow, long seed) {
        try {
            return new SamplingParams(temperature, topK, topP, minP, repeatPenalty, frequencyPenalty, presencePenalty,
                    penaltyWindow, seed);
        } catch (BadInputException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** A random seed when the request names none: repeated requests then differ, as they do elsewhere. */
    static long randomSeed() {
        return java.util.concurrent.ThreadLocalRandom.current().nextLong();
    }

    /** Queues the generation; 429 when the queue is full. */
    Generation submit(int[] promptIds, SamplingParams sampling, int maxTokens, List<String> stops, Set<Integer> stopIds) {
        return submit(promptIds, sampling, maxTokens, stops, stopIds, null);
    }

    /**
     * Queues the generation under {@code grammar} (null: free text). The grammar's vocabulary tables are
     * built once per tokenizer, when the server starts, and shared by every request (see {@code TokenTrie});
     * each request gets its own cheap constraint.
     */
    Generation submit(int[] promptIds, SamplingParams sampling, int maxTokens, List<String> stops, Set<Integer> stopIds,
                      Grammar grammar) {
        if (grammar != null) {
            try {
                jsonTables.join();
            } catch (CompletionException e) {
                // A failed build is retried by the constraint below, which then fails with the reason.
            }
        }
        long deadline = System.nanoTime() + options.requestTimeout().toNanos();
        LogitsHook hook = grammar == null ? null : new ConstraintHook(grammar.constraint(model.tokenizer(), stopIds));
        var request = new GenerationRequest(promptIds, sampling, maxTokens, stops, stopIds, deadline, hook);
        try {
            return batcher.submit(request);
        } catch (Batcher.QueueFullException e) {
            throw new ApiException(429, e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(503, e.getMessage(), null);
        }
    }
}

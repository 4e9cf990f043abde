package dev.tinyforge.serve;

import dev.tinyforge.generate.SamplingParams;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to generate: the prompt's token ids, how to sample, when to stop.
 *
 * @param maxTokens   most tokens to generate; generation also ends when the context is full
 * @param stopStrings texts that end generation (not part of the answer)
 * @param stopIds     tokens that end generation (EOS, end of turn; not part of the answer)
 * @param deadline    {@link System#nanoTime()} after which the request gets no more time
 * @param hook        a constraint on the tokens, or null
 */
public record GenerationRequest(int[] promptIds, SamplingParams sampling, int maxTokens, List<String> stopStrings,
                                Set<Integer> stopIds, long deadline, LogitsHook hook) {
    public GenerationRequest {
        Objects.requireNonNull(promptIds, "promptIds");
        Objects.requireNonNull(sampling, "sampling");
        if (promptIds.length == 0) throw new IllegalArgumentException("the prompt has no tokens");
        if (maxTokens < 0) throw new IllegalArgumentException("maxTokens < 0");
        stopStrings = List.copyOf(stopStrings);
        stopIds = Set.copyOf(stopIds);
    }
}

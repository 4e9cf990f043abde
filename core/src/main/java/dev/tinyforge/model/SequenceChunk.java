package dev.tinyforge.model;

import java.util.Objects;

/**
 * Work for one sequence in a forward step: {@code count} consecutive tokens from
 * {@code tokens[offset]}, evaluated at the positions following what {@code cache} holds and appended
 * to it. A decode step is one token; a prompt (or a piece of one: chunked prefill) is several.
 *
 * @param allLogits whether to return the logits of every token, not only of the last
 */
public record SequenceChunk(int[] tokens, int offset, int count, KvCache cache, boolean allLogits) {
    public SequenceChunk {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(cache, "cache");
        if (count < 1) throw new IllegalArgumentException("nothing to run");
        Objects.checkFromIndexSize(offset, count, tokens.length);
    }

    /** One token (a decode step). */
    public static SequenceChunk of(int token, KvCache cache) {
        return new SequenceChunk(new int[] {token}, 0, 1, cache, false);
    }

    /** How many logit rows a step returns for this chunk. */
    int logitRows() {
        return allLogits ? count : 1;
    }
}

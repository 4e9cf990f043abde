package dev.tinyforge.serve;

/**
 * A per-request hook on decoding, for constrained generation (a grammar or JSON schema that masks the
 * tokens it cannot accept), set on a {@link GenerationRequest}. The batcher calls it once per generated
 * token: {@link #mask} on the logits before sampling, then {@link #accept} with the token chosen (not
 * for a stop token, which ends generation). Calls for one request never overlap, but sequences sample
 * in parallel, so hooks of different requests run on different threads at once.
 */
public interface LogitsHook {
    /** Changes {@code logits} in place, e.g. sets the logits of forbidden tokens to negative infinity. */
    void mask(float[] logits);

    /** Records the token that was sampled from the masked logits. */
    void accept(int token);

    /**
     * Whether the constraint is satisfied and nothing more may follow: generation then ends as a stop.
     * Asked after {@link #accept}, and after {@link #mask} (a mask may find that no token may come next).
     */
    default boolean complete() {
        return false;
    }

    /**
     * Whether the answer's text is the tokens' bytes exactly as the hook checked them, rather than the
     * tokenizer's decoding (whose clean-up rules, such as dropping a space before punctuation, could
     * change what a grammar accepted).
     */
    default boolean exactBytes() {
        return false;
    }
}

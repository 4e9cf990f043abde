package dev.tinyforge.serve;

/**
 * A per-request hook on decoding, for constrained generation (a grammar or JSON schema that masks the
 * tokens it cannot accept). The batcher calls it on its own thread, once per generated token:
 * {@link #mask} on the logits before sampling, then {@link #accept} with the token chosen.
 */
public interface LogitsHook {
    /** Changes {@code logits} in place, e.g. sets the logits of forbidden tokens to negative infinity. */
    void mask(float[] logits);

    /** Records the token that was sampled from the masked logits. */
    void accept(int token);

    /** Whether the constraint is satisfied and nothing more may follow: generation then ends as a stop. */
    default boolean complete() {
        return false;
    }
}

package dev.tinyforge.generate.constraint;

/**
 * Which tokens may come next in one generation, so that the text always stays inside a language (a JSON
 * schema). Made by {@link Grammar#constraint} for one generation; stateful and not thread-safe.
 *
 * <p>The decoding loop calls, per step: {@link #mask} on the logits before any sampling (so penalties,
 * top-k, top-p and temperature only ever see allowed tokens), then {@link #accept} with the token drawn;
 * and it stops once {@link #mustEnd()}. End tokens are allowed exactly when the text is complete.
 */
public interface TokenConstraint {
    /**
     * Sets the logit of every token that may not come next to negative infinity.
     *
     * @return false when no token may come next, which happens only when the text is complete and no
     *     end token exists: generation ends there
     * @throws IllegalStateException when the text is incomplete and no token of the vocabulary continues
     *     it (a vocabulary that cannot spell some byte the grammar needs)
     */
    boolean mask(float[] logits);

    /** Whether {@code token} may come next. */
    boolean allows(int token);

    /**
     * Moves past {@code token}.
     *
     * @throws IllegalArgumentException when the token is not allowed here
     */
    void accept(int token);

    /** Whether the text so far is complete (an end token may come now). */
    boolean isComplete();

    /** Whether generation must stop: the text is complete and nothing may follow it, or an end token came. */
    boolean mustEnd();
}

package dev.tinyforge.serve;

import dev.tinyforge.generate.constraint.TokenConstraint;

/**
 * A {@link TokenConstraint} (JSON mode, a JSON schema) as the batcher's per-request hook: the mask
 * leaves only the tokens the grammar allows, and generation ends once the value is complete.
 */
final class ConstraintHook implements LogitsHook {
    private final TokenConstraint constraint;
    /** The mask found that no token may follow (complete, and the model has no end token). */
    private boolean nothingFollows;

    ConstraintHook(TokenConstraint constraint) {
        this.constraint = constraint;
    }

    @Override
    public void mask(float[] logits) {
        if (!constraint.mask(logits)) nothingFollows = true;
    }

    @Override
    public void accept(int token) {
        constraint.accept(token);
    }

    @Override
    public boolean complete() {
        return nothingFollows || constraint.mustEnd();
    }

    @Override
    public boolean exactBytes() {
        return true;
    }
}

package dev.tinyforge.generate.constraint;

import dev.tinyforge.tokenizer.Tokenizer;
import java.util.Set;

/**
 * A language generated text must belong to, compiled once and shared (immutable, thread-safe); each
 * generation gets its own {@link TokenConstraint} from it.
 */
public interface Grammar {
    /**
     * A fresh constraint for one generation with {@code tokenizer}.
     *
     * @param endIds the tokens that end generation (EOS, end of turn): allowed only once the text is complete
     */
    TokenConstraint constraint(Tokenizer tokenizer, Set<Integer> endIds);
}

package dev.tinyforge.tokenizer;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a regex written for Oniguruma (the engine HF tokenizers uses) into a java.util.regex
 * pattern with the same meaning. Both are backtracking, leftmost-first engines with possessive and
 * atomic groups; the differences that matter are handled here:
 * <ul>
 *   <li>{@code \s \w \d \b} and {@code (?i)} are Unicode-aware in Oniguruma: UNICODE_CHARACTER_CLASS;</li>
 *   <li>{@code ^ $} are line anchors (Ruby syntax) and only {@code \n} ends a line: MULTILINE | UNIX_LINES;</li>
 *   <li>{@code \p{^X}} is Oniguruma's negation ({@code \P{X}}), {@code \h} is a hex digit, and a bare
 *       script name such as {@code \p{Han}} is Java's {@code \p{IsHan}}.</li>
 * </ul>
 * POSIX bracket classes ({@code [[:alpha:]]}) and {@code \K} are rejected rather than guessed.
 */
final class OnigRegex {
    private OnigRegex() {}

    /** @throws IllegalArgumentException with a one-line reason when the pattern cannot be carried over */
    static Pattern compile(String onig) {
        StringBuilder out = new StringBuilder(onig.length() + 16);
        for (int i = 0; i < onig.length(); i++) {
            char c = onig.charAt(i);
            if (c == '[' && onig.startsWith("[:", i + 1)) {
                throw new IllegalArgumentException("POSIX bracket classes such as [[:alpha:]] are not supported");
            }
            if (c != '\\' || i + 1 == onig.length()) {
                out.append(c);
                continue;
            }
            char e = onig.charAt(++i);
            switch (e) {
                case 'h' -> out.append("[0-9a-fA-F]");
                case 'H' -> out.append("[^0-9a-fA-F]");
                case 'K' -> throw new IllegalArgumentException("\\K is not supported");
                case 'p', 'P' -> i = property(onig, i, e, out);
                default -> out.append('\\').append(e);
            }
        }
        try {
            return Pattern.compile(out.toString(), Pattern.UNICODE_CHARACTER_CLASS | Pattern.MULTILINE | Pattern.UNIX_LINES);
        } catch (PatternSyntaxException ex) {
            throw new IllegalArgumentException("regex does not compile: " + ex.getDescription(), ex);
        }
    }

    /** Rewrites {@code \p{...}} starting at {@code onig[i] == p|P}; returns the index of its last char. */
    private static int property(String onig, int i, char p, StringBuilder out) {
        if (i + 1 >= onig.length() || onig.charAt(i + 1) != '{') {
            out.append('\\').append(p); // one-letter form such as \pL
            return i;
        }
        int close = onig.indexOf('}', i);
        if (close < 0) throw new IllegalArgumentException("unclosed \\" + p + "{");
        String name = onig.substring(i + 2, close);
        boolean negate = p == 'P';
        if (name.startsWith("^")) {
            negate = !negate;
            name = name.substring(1);
        }
        String javaName = knownToJava(name) ? name : knownToJava("Is" + name) ? "Is" + name : null;
        if (javaName == null) throw new IllegalArgumentException("unknown Unicode property \\p{" + name + "}");
        out.append('\\').append(negate ? 'P' : 'p').append('{').append(javaName).append('}');
        return close;
    }

    private static boolean knownToJava(String name) {
        try {
            Pattern.compile("\\p{" + name + "}", Pattern.UNICODE_CHARACTER_CLASS);
            return true;
        } catch (PatternSyntaxException e) {
            return false;
        }
    }
}

package dev.tinyforge.tokenizer;

import java.util.List;
import java.util.regex.Matcher;

/** The text rewrites HF applies to each segment between added tokens before pre-tokenization. */
sealed interface Normalizer {
    String normalize(String s);

    /** Each step in turn. */
    record Sequence(List<Normalizer> steps) implements Normalizer {
        @Override
        public String normalize(String s) {
            for (Normalizer step : steps) s = step.normalize(s);
            return s;
        }
    }

    /** Puts {@code prefix} before a non-empty segment (SentencePiece's dummy-prefix "▁"). */
    record Prepend(String prefix) implements Normalizer {
        @Override
        public String normalize(String s) {
            return s.isEmpty() ? s : prefix.concat(s);
        }
    }

    /** Replaces every match of a literal or a regex by {@code content}, taken literally. */
    record Replace(SplitPattern pattern, String content) implements Normalizer {
        @Override
        public String normalize(String s) {
            return switch (pattern) {
                case SplitPattern.Literal l -> l.text().isEmpty() ? s : s.replace(l.text(), content);
                case SplitPattern.Regex r -> r.compiled().matcher(s).replaceAll(Matcher.quoteReplacement(content));
            };
        }
    }

    /** Unicode normalization form NFC, NFD, NFKC or NFKD. */
    record Unicode(java.text.Normalizer.Form form) implements Normalizer {
        @Override
        public String normalize(String s) {
            // The check is cheap and most text is already normalized.
            return java.text.Normalizer.isNormalized(s, form) ? s : java.text.Normalizer.normalize(s, form);
        }
    }

    /** Per-character full lowercase mapping (no context rules such as final sigma, as in HF). */
    record Lowercase() implements Normalizer {
        @Override
        public String normalize(String s) {
            StringBuilder out = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                i += Character.charCount(cp);
                if (cp == 0x130) out.append("i\u0307"); // the one unconditional multi-char lowercase mapping
                else out.appendCodePoint(Character.toLowerCase(cp));
            }
            return out.toString();
        }
    }

    /** Removes Unicode white space at the left and/or right end. */
    record Strip(boolean left, boolean right) implements Normalizer {
        @Override
        public String normalize(String s) {
            int a = 0, b = s.length();
            if (left) while (a < b && CharClass.isWhiteSpace(s.charAt(a))) a++;
            if (right) while (b > a && CharClass.isWhiteSpace(s.charAt(b - 1))) b--;
            return s.substring(a, b);
        }
    }
}

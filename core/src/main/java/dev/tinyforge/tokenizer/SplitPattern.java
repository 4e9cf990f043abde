package dev.tinyforge.tokenizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a Split pre-tokenizer or a Replace step looks for: a literal string or a regex. */
sealed interface SplitPattern {
    /** Appends (start, end) of each non-overlapping match in {@code s}, left to right. */
    void matches(String s, IntList out);

    /** A literal string ({@code {"String": " "}} in tokenizer.json). */
    record Literal(String text) implements SplitPattern {
        @Override
        public void matches(String s, IntList out) {
            if (text.isEmpty()) return;
            for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + text.length())) {
                out.add(i);
                out.add(i + text.length());
            }
        }
    }

    /** A regex ({@code {"Regex": "..."}}), run by a hand-written scanner when it is one of the common three. */
    record Regex(String source, Pattern compiled, RegexScanner scanner) implements SplitPattern {
        static Regex of(String source) {
            return new Regex(source, OnigRegex.compile(source), RegexScanner.forPattern(source));
        }

        @Override
        public void matches(String s, IntList out) {
            if (scanner != null) {
                for (int i = 0, n = s.length(); i < n; ) {
                    int end = scanner.matchEnd(s, i);
                    out.add(i);
                    out.add(end);
                    i = end;
                }
                return;
            }
            Matcher m = compiled.matcher(s);
            while (m.find()) {
                out.add(m.start());
                out.add(m.end());
            }
        }
    }
}

package dev.tinyforge.tokenizer;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * llama.cpp's general-purpose regex split (the fallback behind its hand-written ones), reproduced
 * including its approximations, since those decide the ids:
 * <ul>
 *   <li>A regex using {@code \p{N} \p{L} \p{P} \p{M} \p{S}} (or {@code \p{Lu}} etc., all meaning \p{L}) runs
 *       on a "collapsed" text: ASCII stays, other white space becomes U+000B, every other code point
 *       becomes one stand-in character per category (0xD1 number, 0xD2 letter, 0xD3 punctuation, 0xD4 mark,
 *       0xD5 symbol, 0xD0 anything else), and each {@code \p{X}} becomes a class of its stand-in plus
 *       llama.cpp's ASCII members of X (which, for instance, leave {@code ~} out of \p{S}).</li>
 *   <li>Any other regex runs on the code points, with non-ASCII white space again as U+000B.</li>
 * </ul>
 * Matches and the gaps between them both become pieces. ECMAScript's semantics for these patterns are
 * java.util.regex's without flags ({@code \s} is ASCII white space), except that {@code $} means only
 * the very end, so it is translated to {@code \z}.
 */
final class StdRegexSplit {
    private static final char NUMBER = '\u00D1', LETTER = '\u00D2', PUNCTUATION = '\u00D3', MARK = '\u00D4',
            SYMBOL = '\u00D5', OTHER = '\u00D0', SPACE = '\u000B';

    private static final List<String> LETTER_NAMES = List.of("L", "Lu", "Ll", "Lt", "Lm", "Lo");

    private final Pattern pattern;
    private final boolean collapsed;

    private StdRegexSplit(Pattern pattern, boolean collapsed) {
        this.pattern = pattern;
        this.collapsed = collapsed;
    }

    /** @throws IllegalArgumentException when the regex does not compile (llama.cpp would fail too) */
    static StdRegexSplit compile(String regex) {
        boolean collapsed = usesCategories(regex);
        String java = translate(regex, collapsed);
        try {
            return new StdRegexSplit(Pattern.compile(java), collapsed);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pre-tokenizer regex does not compile: " + e.getDescription(), e);
        }
    }

    private static boolean usesCategories(String regex) {
        for (String c : List.of("N", "P", "M", "S")) if (regex.contains("\\p{" + c + "}")) return true;
        for (String c : LETTER_NAMES) if (regex.contains("\\p{" + c + "}")) return true;
        return false;
    }

    /** llama.cpp's rewrite of \p{X}, tracking (unnested) brackets the way it does; {@code $} becomes {@code \z}. */
    private static String translate(String regex, boolean collapsed) {
        StringBuilder out = new StringBuilder(regex.length() + 32);
        boolean inside = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            boolean escaped = i > 0 && regex.charAt(i - 1) == '\\';
            if (c == '[' && !escaped) {
                inside = true;
            } else if (c == ']' && inside && !escaped) {
                inside = false;
            } else if (c == '$' && !inside && !escaped) {
                out.append("\\z");
                continue;
            } else if (collapsed && c == '\\' && i + 3 < regex.length() && regex.charAt(i + 1) == 'p' && regex.charAt(i + 2) == '{') {
                int close = regex.indexOf('}', i + 3);
                String members = close < 0 ? null : categoryClass(regex.substring(i + 3, close));
                if (members != null) {
                    out.append(inside ? members : "[" + members + "]");
                    i = close;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The stand-in character and ASCII members of a category, or null for one llama.cpp does not collapse. */
    private static String categoryClass(String name) {
        if (LETTER_NAMES.contains(name)) return LETTER + "A-Za-z";
        return switch (name) {
            case "N" -> NUMBER + "0-9";
            case "P" -> PUNCTUATION + "!-#%-*,-/:-;?-@\\[-\\]_\\{\\}";
            case "M" -> String.valueOf(MARK);
            case "S" -> SYMBOL + "\\$\\+<->\\^`\\|";
            default -> null;
        };
    }

    /**
     * Cuts {@code piece} into the regex's matches and the gaps between them; appends the end (a char
     * index into {@code piece}) of each non-empty part in order.
     */
    void cut(String piece, IntList ends) {
        int n = piece.length();
        int[] charAt = null; // code point index -> char index, when the piece has surrogate pairs
        CharSequence subject;
        if (collapsed) {
            int cps = piece.codePointCount(0, n);
            char[] c = new char[cps];
            if (cps != n) charAt = new int[cps + 1];
            for (int i = 0, k = 0; i < n; k++) {
                int cp = piece.codePointAt(i);
                if (charAt != null) charAt[k] = i;
                c[k] = collapse(cp);
                i += Character.charCount(cp);
            }
            if (charAt != null) charAt[cps] = n;
            subject = java.nio.CharBuffer.wrap(c);
        } else {
            subject = wideSpacesAsVt(piece);
        }
        Matcher m = pattern.matcher(subject);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) ends.add(charAt == null ? m.start() : charAt[m.start()]);
            if (m.end() > m.start()) ends.add(charAt == null ? m.end() : charAt[m.end()]);
            last = m.end();
        }
        if (last < subject.length()) ends.add(n);
    }

    private static char collapse(int cp) {
        if (cp < 0x80) return (char) cp;
        if (CharClass.isWhiteSpace(cp)) return SPACE;
        return switch (Character.getType(cp)) {
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> PUNCTUATION;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> MARK;
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> SYMBOL;
            default -> OTHER;
        };
    }

    /** The piece with non-ASCII white space as U+000B, which C++'s wregex {@code \s} matches (all of it is in the BMP). */
    private static CharSequence wideSpacesAsVt(String piece) {
        char[] c = null;
        for (int i = 0; i < piece.length(); i++) {
            char ch = piece.charAt(i);
            if (ch >= 0x80 && CharClass.isWhiteSpace(ch)) {
                if (c == null) c = piece.toCharArray();
                c[i] = SPACE;
            }
        }
        return c == null ? piece : java.nio.CharBuffer.wrap(c);
    }
}

package dev.tinyforge.tokenizer.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Python's {@code str} behaviour on Java strings. Python counts code points where Java counts UTF-16
 * units, and its idea of whitespace, title case and printable characters differs from the JDK's, so
 * every string operation a template can reach goes through here.
 */
final class PyStrings {
    private PyStrings() {}

    /** {@code str.isspace()} for one code point (includes U+00A0 and U+2007, which Java's isWhitespace omits). */
    static boolean isSpace(int cp) {
        return switch (cp) {
            case ' ', '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0xA0, 0x1680, 0x2028, 0x2029,
                 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** {@code len(s)}: code points, not UTF-16 units. */
    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** {@code s.strip(chars)}, {@code lstrip}, {@code rstrip}; {@code chars == null} means whitespace. */
    static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0, end = s.length();
        if (left) {
            while (start < end) {
                int cp = s.codePointAt(start);
                if (!stripped(cp, chars)) break;
                start += Character.charCount(cp);
            }
        }
        if (right) {
            while (end > start) {
                int cp = s.codePointBefore(end);
                if (!stripped(cp, chars)) break;
                end -= Character.charCount(cp);
            }
        }
        return s.substring(start, end);
    }

    private static boolean stripped(int cp, String chars) {
        return chars == null ? isSpace(cp) : chars.indexOf(Character.toString(cp)) >= 0;
    }

    /** {@code s.split(sep, maxsplit)}; {@code sep == null} splits on whitespace runs. */
    static List<String> split(String s, String sep, int maxSplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int i = 0, n = s.length();
            while (true) {
                while (i < n && isSpace(s.codePointAt(i))) i += Character.charCount(s.codePointAt(i));
                if (i >= n) break;
                if (maxSplit >= 0 && out.size() == maxSplit) {
                    out.add(s.substring(i)); // the rest keeps its trailing whitespace, as in Python
                    break;
                }
                int j = i;
                while (j < n && !isSpace(s.codePointAt(j))) j += Character.charCount(s.codePointAt(j));
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        if (sep.isEmpty()) throw EvalError.type("empty separator");
        int from = 0;
        while (maxSplit < 0 || out.size() < maxSplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) break;
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    /** {@code s.rsplit(sep, maxsplit)}: like split, but the count of splits is taken from the right. */
    static List<String> rsplit(String s, String sep, int maxSplit) {
        if (maxSplit < 0) return split(s, sep, -1);
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int j = s.length();
            while (true) {
                while (j > 0 && isSpace(s.codePointBefore(j))) j -= Character.charCount(s.codePointBefore(j));
                if (j <= 0) break;
                if (out.size() == maxSplit) {
                    out.add(s.substring(0, j));
                    break;
                }
                int i = j;
                while (i > 0 && !isSpace(s.codePointBefore(i))) i -= Character.charCount(s.codePointBefore(i));
                out.add(s.substring(i, j));
                j = i;
            }
            return out.reversed();
        }
        if (sep.isEmpty()) throw EvalError.type("empty separator");
        int to = s.length();
        while (out.size() < maxSplit) {
            int at = s.lastIndexOf(sep, to - sep.length());
            if (at < 0) break;
            out.add(s.substring(at + sep.length(), to));
            to = at;
        }
        out.add(s.substring(0, to));
        return out.reversed();
    }

    /** {@code s.splitlines()} without keepends: Python's line boundaries, not only \n. */
    static List<String> splitLines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0, i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r' || c == 0x0B || c == '\f' || c == 0x1C || c == 0x1D
                    || c == 0x1E || c == 0x85 || c == 0x2028 || c == 0x2029;
            if (!lineBreak) {
                i++;
                continue;
            }
            out.add(s.substring(start, i));
            i += c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n' ? 2 : 1;
            start = i;
        }
        if (start < n) out.add(s.substring(start));
        return out;
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static boolean isCased(int cp) {
        return Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
    }

    /** Python's {@code str.title()}: a letter after a cased letter is lowered, others title-cased ("they'Re"). */
    static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (previousCased) out.append(lower(Character.toString(cp)));
            else out.appendCodePoint(Character.toTitleCase(cp));
            previousCased = isCased(cp);
        }
        return out.toString();
    }

    /** Python's {@code str.capitalize()}: first character title-cased, the rest lowered. */
    static String capitalize(String s) {
        if (s.isEmpty()) return s;
        int first = s.codePointAt(0);
        return Character.toString(Character.toTitleCase(first)) + lower(s.substring(Character.charCount(first)));
    }

    /**
     * Jinja's {@code title} filter, which is not Python's {@code str.title()}: words start after
     * whitespace or one of {@code -({[<}, so "they're" stays "They're".
     */
    static String jinjaTitle(String s) {
        StringBuilder out = new StringBuilder(s.length());
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean separator = isSpace(cp) || cp == '-' || cp == '(' || cp == '{' || cp == '[' || cp == '<';
            if (separator) {
                flushWord(out, word);
                out.appendCodePoint(cp);
            } else {
                word.appendCodePoint(cp);
            }
        }
        flushWord(out, word);
        return out.toString();
    }

    private static void flushWord(StringBuilder out, StringBuilder word) {
        if (word.isEmpty()) return;
        int first = word.codePointAt(0);
        out.append(upper(Character.toString(first))).append(lower(word.substring(Character.charCount(first))));
        word.setLength(0);
    }

    /** {@code str.isprintable()} for one code point: what {@code repr()} leaves unescaped. */
    static boolean isPrintable(int cp) {
        if (cp == ' ') return true;
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Python's {@code repr(str)}: single quotes unless the text has ' and no ", escapes as CPython does. */
    static String repr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(s.length() + 2).append(quote);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') out.append('\\').appendCodePoint(cp);
            else if (cp == '\t') out.append("\\t");
            else if (cp == '\n') out.append("\\n");
            else if (cp == '\r') out.append("\\r");
            else if (cp < ' ' || cp == 0x7F) out.append(String.format("\\x%02x", cp));
            else if (cp < 0x7F || isPrintable(cp)) out.appendCodePoint(cp);
            else if (cp <= 0xFF) out.append(String.format("\\x%02x", cp));
            else if (cp <= 0xFFFF) out.append(String.format("\\u%04x", cp));
            else out.append(String.format("\\U%08x", cp));
        }
        return out.append(quote).toString();
    }

    /** Compares by code point, as Python does (Java's compareTo orders UTF-16 units). */
    static int compare(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}

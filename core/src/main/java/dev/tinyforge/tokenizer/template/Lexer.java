package dev.tinyforge.tokenizer.template;

import dev.tinyforge.tokenizer.template.Token.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits template source into text and tag tokens the way Jinja's lexer does with the settings HF
 * transformers uses: {@code trim_blocks} (drop the first newline after a block or comment tag),
 * {@code lstrip_blocks} (drop spaces and tabs before a block or comment tag that starts a line),
 * {@code -}/{@code +} whitespace control on either side of a tag, and {@code keep_trailing_newline}
 * off. Newlines are normalised to {@code \n} first, as Jinja does.
 */
final class Lexer {
    private static final Pattern FLOAT = Pattern.compile(
            "(?:\\d+_)*\\d+(?:(?:\\.(?:\\d+_)*\\d+)?[eE][+-]?(?:\\d+_)*\\d+|\\.(?:\\d+_)*\\d+)");
    private static final Pattern INTEGER = Pattern.compile(
            "0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[0-9a-fA-F])+|[1-9](?:_?\\d)*|0(?:_?0)*");
    private static final Pattern RAW_BEGIN = Pattern.compile("(?U)\\s*raw\\s*(?:-%}\\s*|%})");
    private static final Pattern RAW_END = Pattern.compile("(?U)\\{%([-+]?)\\s*endraw\\s*(?:\\+%}|-%}\\s*|%}\\n?)");
    private static final String[] OPERATORS = {
        "//", "**", "==", "!=", "<=", ">=",
        "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", ";"
    };

    private final String src;
    private final String name;
    private final int[] lineStarts;
    private final List<Token> out = new ArrayList<>();
    private int pos;
    /** Whether the text that follows starts a line (Jinja's {@code line_starting}), for lstrip_blocks. */
    private boolean lineStarting = true;

    private Lexer(String src, String name) {
        this.src = src;
        this.name = name;
        this.lineStarts = lineStarts(src);
    }

    /** Tokenises {@code source}; the list ends with an EOF token. */
    static List<Token> tokenize(String source, String name) {
        Lexer lexer = new Lexer(normalize(source), name);
        lexer.run();
        return lexer.out;
    }

    /** CRLF and CR become LF, and one trailing newline is dropped (Jinja's keep_trailing_newline=False). */
    static String normalize(String source) {
        String s = source.indexOf('\r') >= 0 ? source.replace("\r\n", "\n").replace('\r', '\n') : source;
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private void run() {
        int n = src.length();
        while (pos < n) {
            int start = nextTagStart(pos);
            if (start < 0) {
                emit(Type.DATA, src.substring(pos), null, pos);
                break;
            }
            char kind = src.charAt(start + 1);
            int body = start + 2;
            char sign = body < n && (src.charAt(body) == '-' || src.charAt(body) == '+') ? src.charAt(body) : 0;
            if (sign != 0) body++;
            String text = controlLeft(src.substring(pos, start), sign, kind != '{');
            if (!text.isEmpty()) emit(Type.DATA, text, null, pos);
            switch (kind) {
                case '#' -> pos = comment(start, body);
                case '{' -> {
                    emit(Type.VAR_BEGIN, "{{", null, start);
                    pos = tagBody(body, false);
                }
                default -> {
                    Matcher raw = RAW_BEGIN.matcher(src).region(body, n);
                    if (raw.lookingAt()) {
                        pos = raw(raw.end());
                    } else {
                        emit(Type.BLOCK_BEGIN, "{%", null, start);
                        pos = tagBody(body, true);
                    }
                }
            }
        }
        emit(Type.EOF, "", null, n);
    }

    private int nextTagStart(int from) {
        for (int i = src.indexOf('{', from); i >= 0 && i + 1 < src.length(); i = src.indexOf('{', i + 1)) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') return i;
        }
        return -1;
    }

    /**
     * Whitespace control for the text before a tag: {@code -} strips all trailing whitespace; otherwise
     * lstrip_blocks drops the whitespace between the last line start and a block or comment tag.
     */
    private String controlLeft(String text, char sign, boolean lstripCapable) {
        if (sign == '-') return PyStrings.strip(text, null, false, true);
        if (sign == '+' || !lstripCapable) return text;
        int lineStart = text.lastIndexOf('\n') + 1;
        if (lineStart == 0 && !lineStarting) return text;
        // Jinja 3.1 strips any whitespace here (its regex is \s+), not only spaces and tabs.
        for (int i = lineStart; i < text.length(); i++) {
            if (!PyStrings.isSpace(text.charAt(i))) return text;
        }
        return text.substring(0, lineStart);
    }

    /** Skips a comment; returns the position after its end marker (and after trimmed whitespace). */
    private int comment(int start, int body) {
        int close = src.indexOf("#}", body);
        if (close < 0) throw error(start, "missing end of comment tag '#}'");
        char sign = close > body ? src.charAt(close - 1) : 0;
        return afterEnd(close + 2, sign);
    }

    /** The end of a block or comment tag: {@code -} eats all following whitespace, plain eats one newline. */
    private int afterEnd(int p, char sign) {
        if (sign == '-') {
            while (p < src.length() && PyStrings.isSpace(src.charAt(p))) p++;
        } else if (sign != '+' && p < src.length() && src.charAt(p) == '\n') {
            p++;
        }
        lineStarting = p > 0 && src.charAt(p - 1) == '\n';
        return p;
    }

    /** {@code {% raw %}...{% endraw %}}: the text between is emitted verbatim. */
    private int raw(int contentStart) {
        lineStarting = src.charAt(contentStart - 1) == '\n';
        Matcher end = RAW_END.matcher(src);
        if (!end.find(contentStart)) throw error(contentStart, "missing '{% endraw %}'");
        String sign = end.group(1);
        String text = controlLeft(src.substring(contentStart, end.start()), sign.isEmpty() ? 0 : sign.charAt(0), true);
        if (!text.isEmpty()) emit(Type.DATA, text, null, contentStart);
        lineStarting = src.charAt(end.end() - 1) == '\n';
        return end.end();
    }

    /** Lexes the expression tokens inside {@code {{ }}} or {@code {% %}} up to and including the end marker. */
    private int tagBody(int p, boolean block) {
        Deque<Character> closers = new ArrayDeque<>();
        int n = src.length();
        while (true) {
            while (p < n && PyStrings.isSpace(src.charAt(p))) p++;
            if (p >= n) throw error(p, "unexpected end of template, expected '" + (block ? "%}" : "}}") + "'");
            // Inside brackets an end marker is not an end: {{ {'a': {'b': 1}} }} is one expression.
            if (closers.isEmpty()) {
                String end = block ? "%}" : "}}";
                if (src.startsWith("-" + end, p)) {
                    emit(block ? Type.BLOCK_END : Type.VAR_END, end, null, p);
                    p += 3;
                    while (p < n && PyStrings.isSpace(src.charAt(p))) p++;
                    lineStarting = src.charAt(p - 1) == '\n';
                    return p;
                }
                if (block && src.startsWith("+%}", p)) {
                    emit(Type.BLOCK_END, end, null, p);
                    return afterEnd(p + 3, '+');
                }
                if (src.startsWith(end, p)) {
                    emit(block ? Type.BLOCK_END : Type.VAR_END, end, null, p);
                    return block ? afterEnd(p + 2, (char) 0) : afterEnd(p + 2, '+');
                }
            }
            p = token(p, closers);
        }
    }

    private int token(int p, Deque<Character> closers) {
        char c = src.charAt(p);
        if (Character.isLetter(c) || c == '_') {
            int q = p + 1;
            while (q < src.length() && (Character.isLetterOrDigit(src.charAt(q)) || src.charAt(q) == '_')) q++;
            emit(Type.NAME, src.substring(p, q), null, p);
            return q;
        }
        if (c >= '0' && c <= '9') return number(p);
        if (c == '\'' || c == '"') return string(p, c);
        for (String op : OPERATORS) {
            if (!src.startsWith(op, p)) continue;
            switch (op) {
                case "(" -> closers.push(')');
                case "[" -> closers.push(']');
                case "{" -> closers.push('}');
                case ")", "]", "}" -> {
                    if (closers.isEmpty()) throw error(p, "unexpected '" + op + "'");
                    char expected = closers.pop();
                    if (expected != c) throw error(p, "unexpected '" + op + "', expected '" + expected + "'");
                }
                default -> {}
            }
            emit(Type.OP, op, null, p);
            return p + op.length();
        }
        throw error(p, "unexpected character " + PyStrings.repr(Character.toString(src.codePointAt(p))));
    }

    private int number(int p) {
        Matcher f = FLOAT.matcher(src).region(p, src.length());
        // As in Jinja, digits right after a dot are an integer (x.0 is item 0), never a float.
        if ((p == 0 || src.charAt(p - 1) != '.') && f.lookingAt()) {
            double d = Double.parseDouble(f.group().replace("_", ""));
            emit(Type.NUMBER, f.group(), new Value.FloatV(d), p);
            return f.end();
        }
        Matcher m = INTEGER.matcher(src).region(p, src.length());
        if (!m.lookingAt()) throw error(p, "invalid number");
        String digits = m.group().replace("_", "");
        int radix = 10;
        if (digits.length() > 1 && Character.isLetter(digits.charAt(1))) {
            radix = switch (Character.toLowerCase(digits.charAt(1))) {
                case 'b' -> 2;
                case 'o' -> 8;
                default -> 16;
            };
            digits = digits.substring(2);
        }
        try {
            emit(Type.NUMBER, m.group(), new Value.IntV(Long.parseLong(digits, radix)), p);
        } catch (NumberFormatException e) {
            throw error(p, "integer literal " + m.group() + " does not fit in 64 bits");
        }
        return m.end();
    }

    private int string(int p, char quote) {
        StringBuilder sb = new StringBuilder();
        int i = p + 1, n = src.length();
        while (true) {
            if (i >= n) throw error(p, "unterminated string literal");
            char c = src.charAt(i);
            if (c == quote) break;
            if (c != '\\') {
                sb.append(c);
                i++;
                continue;
            }
            if (i + 1 >= n) throw error(p, "unterminated string literal");
            i = escape(i, sb);
        }
        String value = sb.toString();
        emit(Type.STRING, value, new Value.StrV(value), p);
        return i + 1;
    }

    /** Decodes one backslash escape at {@code i} as Python's unicode-escape codec does; returns the next index. */
    private int escape(int i, StringBuilder sb) {
        char e = src.charAt(i + 1);
        switch (e) {
            case '\n' -> { /* line continuation: nothing */ }
            case '\\', '\'', '"' -> sb.append(e);
            case 'a' -> sb.append('\u0007');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'v' -> sb.append('\u000B');
            case 'x' -> {
                return hexEscape(i, 2, sb);
            }
            case 'u' -> {
                return hexEscape(i, 4, sb);
            }
            case 'U' -> {
                return hexEscape(i, 8, sb);
            }
            case 'N' -> throw unsupported(i, "named unicode escapes (\\N{...}) in string literals are not supported");
            default -> {
                if (e >= '0' && e <= '7') {
                    int j = i + 1, value = 0;
                    while (j < i + 4 && j < src.length() && src.charAt(j) >= '0' && src.charAt(j) <= '7') {
                        value = value * 8 + (src.charAt(j++) - '0');
                    }
                    sb.appendCodePoint(value);
                    return j;
                }
                sb.append('\\').append(e); // Python keeps unknown escapes as written
            }
        }
        return i + 2;
    }

    private int hexEscape(int i, int digits, StringBuilder sb) {
        int start = i + 2;
        if (start + digits > src.length()) throw error(i, "truncated \\" + src.charAt(i + 1) + " escape");
        String hex = src.substring(start, start + digits);
        if (!hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw error(i, "truncated \\" + src.charAt(i + 1) + " escape");
        }
        long cp = Long.parseLong(hex, 16);
        if (cp > Character.MAX_CODE_POINT) throw error(i, "illegal Unicode character \\U" + hex);
        sb.appendCodePoint((int) cp);
        return start + digits;
    }

    private void emit(Type type, String text, Value literal, int offset) {
        out.add(new Token(type, text, literal, line(offset), column(offset)));
    }

    private static int[] lineStarts(String s) {
        int[] starts = new int[16];
        int count = 1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '\n') continue;
            if (count == starts.length) starts = Arrays.copyOf(starts, count * 2);
            starts[count++] = i + 1;
        }
        return Arrays.copyOf(starts, count);
    }

    private int line(int offset) {
        int at = Arrays.binarySearch(lineStarts, offset);
        return at >= 0 ? at + 1 : -at - 1;
    }

    private int column(int offset) {
        return offset - lineStarts[line(offset) - 1] + 1;
    }

    private TemplateException error(int offset, String message) {
        return new TemplateException(TemplateException.Kind.SYNTAX, name, line(offset), column(offset), message);
    }

    private TemplateException unsupported(int offset, String message) {
        return new TemplateException(TemplateException.Kind.UNSUPPORTED, name, line(offset), column(offset), message);
    }
}

package dev.tinyforge.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits DOT text into tokens the way Graphviz's scanner does, but strictly: what Graphviz would
 * accept with a warning (a name starting with a digit, a stray character) is an error here.
 */
final class DotLexer {
    enum Kind { NAME, NUMERAL, QUOTED, LBRACE, RBRACE, LBRACKET, RBRACKET, SEMI, COMMA, EQUALS, COLON, ARROW, LINE, PLUS, END }

    /** One token; {@code text} is the ID's value (escapes resolved for quoted strings) or the symbol. */
    record Token(Kind kind, String text, int line, int column) {
        boolean isId() {
            return kind == Kind.NAME || kind == Kind.NUMERAL || kind == Kind.QUOTED;
        }

        String describe() {
            return switch (kind) {
                case END -> "the end of the input";
                case NAME -> "'" + shorten(text) + "'";
                case NUMERAL -> "the number " + text;
                case QUOTED -> "the string \"" + shorten(text) + "\"";
                default -> "'" + text + "'";
            };
        }

        private static String shorten(String s) {
            return s.length() > 30 ? s.substring(0, 30) + "..." : s;
        }
    }

    /** A malformed token, at the line and column where it starts. */
    static final class SyntaxError extends RuntimeException {
        final int line;
        final int column;

        SyntaxError(int line, int column, String message) {
            super(message, null, false, false);
            this.line = line;
            this.column = column;
        }
    }

    private final String s;
    private int pos;
    private int line = 1;
    private int lineStart;

    private DotLexer(String s) {
        this.s = s;
    }

    static List<Token> tokenize(String text) {
        DotLexer lexer = new DotLexer(text);
        List<Token> tokens = new ArrayList<>();
        Token t;
        do {
            t = lexer.next();
            tokens.add(t);
        } while (t.kind() != Kind.END);
        return tokens;
    }

    private Token next() {
        skipSpaceAndComments();
        int startLine = line, startColumn = column();
        if (pos >= s.length()) return new Token(Kind.END, "", startLine, startColumn);
        char c = s.charAt(pos);
        Kind symbol = switch (c) {
            case '{' -> Kind.LBRACE;
            case '}' -> Kind.RBRACE;
            case '[' -> Kind.LBRACKET;
            case ']' -> Kind.RBRACKET;
            case ';' -> Kind.SEMI;
            case ',' -> Kind.COMMA;
            case '=' -> Kind.EQUALS;
            case ':' -> Kind.COLON;
            case '+' -> Kind.PLUS;
            default -> null;
        };
        if (symbol != null) {
            pos++;
            return new Token(symbol, String.valueOf(c), startLine, startColumn);
        }
        if (c == '-' && pos + 1 < s.length() && (s.charAt(pos + 1) == '>' || s.charAt(pos + 1) == '-')) {
            pos += 2;
            return new Token(s.charAt(pos - 1) == '>' ? Kind.ARROW : Kind.LINE, s.substring(pos - 2, pos), startLine, startColumn);
        }
        if (c == '"') return quoted(startLine, startColumn);
        if (c == '-' || c == '.' || isDigit(c)) return numeral(startLine, startColumn);
        if (isNameStart(c)) {
            int start = pos;
            while (pos < s.length() && (isNameStart(s.charAt(pos)) || isDigit(s.charAt(pos)))) pos++;
            return new Token(Kind.NAME, s.substring(start, pos), startLine, startColumn);
        }
        if (c == '<') {
            throw new SyntaxError(startLine, startColumn, "HTML strings (<...>) are not supported; use a quoted string");
        }
        throw new SyntaxError(startLine, startColumn, "unexpected character '" + c + "'");
    }

    private void skipSpaceAndComments() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '\n') {
                newline();
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                pos++;
            } else if (c == '#' && pos == lineStart) {
                // Graphviz discards C-preprocessor output lines, which start with '#' in the first column.
                while (pos < s.length() && s.charAt(pos) != '\n') pos++;
            } else if (s.startsWith("//", pos)) {
                while (pos < s.length() && s.charAt(pos) != '\n') pos++;
            } else if (s.startsWith("/*", pos)) {
                int startLine = line, startColumn = column();
                pos += 2;
                while (pos < s.length() && !s.startsWith("*/", pos)) {
                    if (s.charAt(pos) == '\n') newline();
                    else pos++;
                }
                if (pos >= s.length()) throw new SyntaxError(startLine, startColumn, "unterminated comment: '/*' without '*/'");
                pos += 2;
            } else {
                return;
            }
        }
    }

    /** A double-quoted string: {@code \"} is a quote, backslash-newline continues the line, other escapes stay. */
    private Token quoted(int startLine, int startColumn) {
        StringBuilder value = new StringBuilder();
        pos++;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return new Token(Kind.QUOTED, value.toString(), startLine, startColumn);
            }
            if (c == '\\' && pos + 1 < s.length()) {
                char e = s.charAt(pos + 1);
                if (e == '"') {
                    value.append('"');
                    pos += 2;
                    continue;
                }
                if (e == '\n' || (e == '\r' && pos + 2 < s.length() && s.charAt(pos + 2) == '\n')) {
                    pos += e == '\n' ? 1 : 2;
                    newline();
                    continue;
                }
                value.append(c).append(e);
                pos += 2;
                continue;
            }
            if (c == '\n') {
                value.append(c);
                newline();
                continue;
            }
            value.append(c);
            pos++;
        }
        throw new SyntaxError(startLine, startColumn, "unterminated string: no closing '\"'");
    }

    /** {@code [-]?(.[0-9]+ | [0-9]+(.[0-9]*)?)}, which must not run into a name. */
    private Token numeral(int startLine, int startColumn) {
        int start = pos;
        if (s.charAt(pos) == '-') pos++;
        int digits = 0;
        while (pos < s.length() && isDigit(s.charAt(pos))) {
            pos++;
            digits++;
        }
        if (pos < s.length() && s.charAt(pos) == '.') {
            pos++;
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
                digits++;
            }
        }
        if (digits == 0) {
            throw new SyntaxError(startLine, startColumn, "unexpected '" + s.substring(start, pos) + "': expected a number");
        }
        if (pos < s.length() && (isNameStart(s.charAt(pos)) || s.charAt(pos) == '.')) {
            int end = pos;
            while (end < s.length() && (isNameStart(s.charAt(end)) || isDigit(s.charAt(end)) || s.charAt(end) == '.')) end++;
            throw new SyntaxError(startLine, startColumn, "'" + s.substring(start, end)
                    + "' is not a valid ID: a name cannot start with a digit or hold two dots; quote it");
        }
        return new Token(Kind.NUMERAL, s.substring(start, pos), startLine, startColumn);
    }

    private void newline() {
        pos++;
        line++;
        lineStart = pos;
    }

    private int column() {
        return pos - lineStart + 1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Letters, underscore, and any non-ASCII character (Graphviz reads bytes 128-255 as letters). */
    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }
}

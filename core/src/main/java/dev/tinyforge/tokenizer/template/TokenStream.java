package dev.tinyforge.tokenizer.template;

import dev.tinyforge.tokenizer.template.Token.Type;
import java.util.List;

/** A cursor over the token list with the error helpers both parsers share. */
final class TokenStream {
    private final List<Token> tokens;
    private final String templateName;
    private final int maxNesting;
    private int index;
    private int depth;

    TokenStream(List<Token> tokens, String templateName, int maxNesting) {
        this.tokens = tokens;
        this.templateName = templateName;
        this.maxNesting = maxNesting;
    }

    Token current() {
        return tokens.get(index);
    }

    /** The token after the current one (EOF at the end). */
    Token peek() {
        return tokens.get(Math.min(index + 1, tokens.size() - 1));
    }

    /** The token consumed last (the end tag name after {@code body} returns). */
    Token tokenBefore() {
        return tokens.get(index - 1);
    }

    Token next() {
        Token t = tokens.get(index);
        if (t.type() != Type.EOF) index++;
        return t;
    }

    boolean skipName(String name) {
        if (!current().isName(name)) return false;
        next();
        return true;
    }

    boolean skipOp(String op) {
        if (!current().isOp(op)) return false;
        next();
        return true;
    }

    Token expect(Type type, String what) {
        if (current().type() != type) throw syntax(current(), "expected " + what + ", got " + current().describe());
        return next();
    }

    Token expectOp(String op) {
        if (!current().isOp(op)) throw syntax(current(), "expected '" + op + "', got " + current().describe());
        return next();
    }

    Token expectName(String name) {
        if (!current().isName(name)) throw syntax(current(), "expected '" + name + "', got " + current().describe());
        return next();
    }

    /** Guards parser recursion so a hostile template cannot overflow the Java stack. */
    void enter() {
        if (++depth > maxNesting) {
            throw new TemplateException(TemplateException.Kind.LIMIT, templateName, current().line(),
                    current().column(), "template nests deeper than " + maxNesting + " levels");
        }
    }

    void leave() {
        depth--;
    }

    TemplateException syntax(Token at, String message) {
        return new TemplateException(TemplateException.Kind.SYNTAX, templateName, at.line(), at.column(), message);
    }

    TemplateException unsupported(Token at, String message) {
        return new TemplateException(TemplateException.Kind.UNSUPPORTED, templateName, at.line(), at.column(), message);
    }
}

package dev.tinyforge.tokenizer.template;

import dev.tinyforge.tokenizer.template.Token.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the statement tree from tokens. Supports the tags chat templates use: if/elif/else, for
 * (with inline filter and else), set (plain, tuple, namespace attribute, block), macro, break and
 * continue (the loopcontrols extension HF enables), raw (in the lexer) and HF's generation tag.
 * Every other tag is refused with its name and position, never skipped.
 */
final class Parser {
    /** Real Jinja tags this renderer refuses; named so the error says "not supported", not "unknown". */
    private static final Set<String> UNSUPPORTED_TAGS = Set.of("block", "extends", "include", "import", "from",
            "call", "filter", "with", "autoescape", "do", "trans", "pluralize", "print");

    private final TokenStream ts;
    private final ExpressionParser expressions;
    private int loopDepth;

    private Parser(TokenStream ts) {
        this.ts = ts;
        this.expressions = new ExpressionParser(ts);
    }

    static List<Node> parse(String source, String name, TemplateLimits limits) {
        if (source.length() > limits.maxSourceChars()) {
            throw new TemplateException(TemplateException.Kind.LIMIT, name, 0, 0,
                    "template is " + source.length() + " characters, more than the limit of " + limits.maxSourceChars());
        }
        Parser parser = new Parser(new TokenStream(Lexer.tokenize(source, name), name, limits.maxNesting()));
        List<Node> body = parser.body(Set.of(), null);
        Token end = parser.ts.current();
        if (end.type() != Type.EOF) throw parser.ts.syntax(end, "unexpected " + end.describe());
        return body;
    }

    /**
     * Parses statements until a block tag named in {@code endNames} (left as the current token, after
     * its '{%') or the end of the template. {@code opener} names the enclosing block for messages.
     */
    private List<Node> body(Set<String> endNames, Token opener) {
        List<Node> nodes = new ArrayList<>();
        while (true) {
            Token t = ts.current();
            switch (t.type()) {
                case DATA -> nodes.add(new Node.Text(ts.next().text()));
                case VAR_BEGIN -> {
                    ts.next();
                    Pos start = Pos.of(ts.current()); // errors in printing point at the expression
                    Expr e = expressions.tuple(false, true, Set.of(), false);
                    ts.expect(Type.VAR_END, "'}}'");
                    nodes.add(new Node.Output(start, e));
                }
                case BLOCK_BEGIN -> {
                    ts.next();
                    Token name = ts.expect(Type.NAME, "a tag name");
                    if (endNames.contains(name.text())) return nodes;
                    nodes.add(statement(name, endNames, opener));
                }
                case EOF -> {
                    if (opener != null) {
                        throw ts.syntax(t, "unexpected end of template: the '" + opener.text() + "' tag at line "
                                + opener.line() + " was never closed (expected " + describe(endNames) + ")");
                    }
                    return nodes;
                }
                default -> throw ts.syntax(t, "unexpected " + t.describe());
            }
        }
    }

    private Node statement(Token tag, Set<String> endNames, Token opener) {
        ts.enter();
        try {
            return switch (tag.text()) {
                case "if" -> ifStatement(tag);
                case "for" -> forStatement(tag);
                case "set" -> setStatement(tag);
                case "macro" -> macro(tag);
                case "break", "continue" -> loopControl(tag);
                case "generation" -> {
                    endTag();
                    List<Node> body = body(Set.of("endgeneration"), tag);
                    endTag();
                    yield new Node.Generation(Pos.of(tag), body);
                }
                default -> throw unknownTag(tag, endNames, opener);
            };
        } finally {
            ts.leave();
        }
    }

    private TemplateException unknownTag(Token tag, Set<String> endNames, Token opener) {
        if (UNSUPPORTED_TAGS.contains(tag.text())) {
            return ts.unsupported(tag, "the '{% " + tag.text() + " %}' tag is not supported by this chat template renderer");
        }
        String context = opener == null ? "" : " (inside '" + opener.text() + "' from line " + opener.line()
                + ", expected " + describe(endNames) + ")";
        return ts.syntax(tag, "unknown or unexpected tag '" + tag.text() + "'" + context);
    }

    private static String describe(Set<String> names) {
        return names.stream().sorted().map(n -> "'" + n + "'").reduce((a, b) -> a + " or " + b).orElse("nothing");
    }

    /** The end of a tag: an optional ':' (Jinja allows it), then '%}'. */
    private void endTag() {
        ts.skipOp(":");
        ts.expect(Type.BLOCK_END, "'%}'");
    }

    private Node ifStatement(Token tag) {
        List<Node.Branch> branches = new ArrayList<>();
        List<Node> orElse = List.of();
        Set<String> ends = Set.of("elif", "else", "endif");
        Expr condition = expressions.tuple(false, false, Set.of(), false);
        while (true) {
            endTag();
            List<Node> body = body(ends, tag);
            branches.add(new Node.Branch(condition, body));
            Token end = ts.tokenBefore();
            if (end.isName("elif")) {
                condition = expressions.tuple(false, false, Set.of(), false);
                continue;
            }
            if (end.isName("else")) {
                endTag();
                orElse = body(Set.of("endif"), tag);
            }
            endTag();
            return new Node.If(Pos.of(tag), List.copyOf(branches), orElse);
        }
    }

    private Node forStatement(Token tag) {
        Node.Target target = assignTarget(Set.of("in"), false);
        ts.expectName("in");
        Expr iterable = expressions.tuple(false, false, Set.of("recursive"), false);
        Expr filter = ts.skipName("if") ? expressions.expression(true) : null;
        if (ts.current().isName("recursive")) throw ts.unsupported(ts.current(), "recursive for loops are not supported");
        endTag();
        loopDepth++;
        List<Node> body = body(Set.of("endfor", "else"), tag);
        loopDepth--;
        List<Node> orElse = List.of();
        if (ts.tokenBefore().isName("else")) {
            endTag();
            orElse = body(Set.of("endfor"), tag);
        }
        endTag();
        return new Node.For(Pos.of(tag), target, iterable, filter, body, orElse);
    }

    private Node setStatement(Token tag) {
        Node.Target target = assignTarget(Set.of(), true);
        if (ts.skipOp("=")) {
            Expr value = expressions.tuple(false, true, Set.of(), false);
            endTag();
            return new Node.Set(Pos.of(tag), target, value);
        }
        if (ts.current().isOp("|")) throw ts.unsupported(ts.current(), "filters on a '{% set %}' block are not supported");
        endTag();
        List<Node> body = body(Set.of("endset"), tag);
        endTag();
        return new Node.SetBlock(Pos.of(tag), target, body);
    }

    /** A name, a tuple of names, or (for set) {@code ns.attr}. */
    private Node.Target assignTarget(Set<String> endNames, boolean withNamespace) {
        Token first = ts.current();
        if (withNamespace && first.type() == Type.NAME && ts.peek().isOp(".")) {
            ts.next();
            ts.next();
            Token attr = ts.expect(Type.NAME, "an attribute name");
            return new Node.NamespaceAttr(first.text(), attr.text());
        }
        Expr target = expressions.tuple(true, false, endNames, false);
        if (target instanceof Expr.Name n) return new Node.Names(List.of(n.name()), false);
        if (target instanceof Expr.ListLiteral l && l.tuple()) {
            List<String> names = new ArrayList<>();
            for (Expr item : l.items()) {
                if (!(item instanceof Expr.Name n)) throw ts.syntax(first, "can only assign to names");
                names.add(n.name());
            }
            return new Node.Names(List.copyOf(names), true);
        }
        throw ts.syntax(first, "can only assign to names, got " + first.describe());
    }

    private Node macro(Token tag) {
        Token name = ts.expect(Type.NAME, "a macro name");
        ts.expectOp("(");
        List<Node.Param> params = new ArrayList<>();
        while (!ts.current().isOp(")")) {
            if (!params.isEmpty()) ts.expectOp(",");
            if (ts.current().isOp(")")) break;
            Token param = ts.expect(Type.NAME, "a parameter name");
            Expr defaultValue = ts.skipOp("=") ? expressions.expression(true) : null;
            if (defaultValue == null && !params.isEmpty() && params.getLast().defaultValue() != null) {
                throw ts.syntax(param, "non-default argument follows default argument");
            }
            params.add(new Node.Param(param.text(), defaultValue));
        }
        ts.expectOp(")");
        endTag();
        int outerLoops = loopDepth;
        loopDepth = 0; // break/continue cannot cross a macro boundary
        List<Node> body = body(Set.of("endmacro"), tag);
        loopDepth = outerLoops;
        endTag();
        return new Node.Macro(Pos.of(tag), name.text(), List.copyOf(params), body);
    }

    private Node loopControl(Token tag) {
        if (loopDepth == 0) throw ts.syntax(tag, "'" + tag.text() + "' outside of a for loop");
        endTag();
        return tag.isName("break") ? new Node.Break(Pos.of(tag)) : new Node.Continue(Pos.of(tag));
    }
}

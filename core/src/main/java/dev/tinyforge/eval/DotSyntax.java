package dev.tinyforge.eval;

import dev.tinyforge.eval.DotLexer.Kind;
import dev.tinyforge.eval.DotLexer.SyntaxError;
import dev.tinyforge.eval.DotLexer.Token;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A strict checker of Graphviz DOT syntax (the grammar at graphviz.org/doc/info/lang.html, without
 * HTML strings): one {@code [strict] (graph|digraph) [ID] { ... }} with node, edge, attribute and
 * {@code ID = ID} statements and subgraphs. Stricter than Graphviz, which accepts some of this with a
 * warning: a keyword used as a name, {@code --} in a digraph, a name starting with a digit, an
 * attribute without a value, a port that is not a compass point, anything after the closing brace.
 */
public final class DotSyntax {
    private static final Set<String> KEYWORDS = Set.of("node", "edge", "graph", "digraph", "subgraph", "strict");
    private static final Set<String> COMPASS = Set.of("n", "ne", "e", "se", "s", "sw", "w", "nw", "c", "_");
    /** Deep enough for any real graph, shallow enough that hostile input cannot overflow the stack. */
    private static final int MAX_DEPTH = 200;

    /** What a check found: a well-formed graph, or the first error. */
    public sealed interface Result {
        boolean valid();
    }

    /** A well-formed graph: its kind, its name (null when it has none), the node names it mentions and its edge count. */
    public record Valid(boolean strict, boolean directed, String id, Set<String> nodes, int edges) implements Result {
        public Valid {
            nodes = Set.copyOf(nodes);
        }

        @Override
        public boolean valid() {
            return true;
        }
    }

    /** The first syntax error, 1-based line and column. */
    public record Invalid(int line, int column, String message) implements Result {
        @Override
        public boolean valid() {
            return false;
        }

        @Override
        public String toString() {
            return "line " + line + ", column " + column + ": " + message;
        }
    }

    private final List<Token> tokens;
    private int at;
    private boolean directed;
    private int depth;
    private final Set<String> nodes = new LinkedHashSet<>();
    private int edges;

    private DotSyntax(List<Token> tokens) {
        this.tokens = tokens;
    }

    public static Result check(String text) {
        try {
            return new DotSyntax(DotLexer.tokenize(text)).graph();
        } catch (SyntaxError e) {
            return new Invalid(e.line, e.column, e.getMessage());
        }
    }

    private Result graph() {
        if (peek().kind() == Kind.END) throw error(peek(), "empty input: expected 'graph' or 'digraph'");
        boolean strict = acceptKeyword("strict");
        if (acceptKeyword("digraph")) {
            directed = true;
        } else if (!acceptKeyword("graph")) {
            throw error(peek(), "expected " + (strict ? "" : "'strict', ") + "'graph' or 'digraph' but found " + peek().describe());
        }
        String id = peek().isId() ? id("a graph name") : null;
        expect(Kind.LBRACE, "'{' to open the graph body");
        statements();
        expect(Kind.RBRACE, "'}' to close the graph");
        if (peek().kind() != Kind.END) {
            throw error(peek(), "unexpected " + peek().describe() + " after the graph's closing '}'");
        }
        return new Valid(strict, directed, id, nodes, edges);
    }

    /** Statements up to (not including) the closing '}', each optionally ended by ';'. */
    private void statements() {
        if (++depth > MAX_DEPTH) throw error(peek(), "subgraphs nested deeper than " + MAX_DEPTH);
        while (peek().kind() != Kind.RBRACE) {
            if (peek().kind() == Kind.END) throw error(peek(), "missing '}': the input ends inside a graph body");
            statement();
            accept(Kind.SEMI);
        }
        depth--;
    }

    private void statement() {
        Token t = peek();
        if (isKeyword(t, "graph") || isKeyword(t, "node") || isKeyword(t, "edge")) {
            at++;
            if (peek().kind() != Kind.LBRACKET) {
                throw error(peek(), "expected '[' after '" + t.text() + "' (an attribute statement) but found "
                        + peek().describe() + "; quote \"" + t.text() + "\" to use it as a name");
            }
            attributes();
        } else if (isKeyword(t, "subgraph") || t.kind() == Kind.LBRACE) {
            subgraph();
            edgeTail();
        } else if (t.isId() && tokens.get(at + 1).kind() == Kind.EQUALS) {
            id("an attribute name");
            at++;
            id("a value after '='");
        } else if (t.isId()) {
            nodes.add(nodeId());
            if (!edgeTail() && peek().kind() == Kind.LBRACKET) attributes();
        } else {
            throw error(t, "expected a statement (a node, an edge, an attribute or a subgraph) but found " + t.describe());
        }
    }

    /** An optional {@code -> target ...} chain and its attributes; true when there was one. */
    private boolean edgeTail() {
        boolean any = false;
        while (peek().kind() == Kind.ARROW || peek().kind() == Kind.LINE) {
            Token op = tokens.get(at++);
            if (directed && op.kind() == Kind.LINE) throw error(op, "'--' is for undirected graphs; a digraph's edges use '->'");
            if (!directed && op.kind() == Kind.ARROW) throw error(op, "'->' is for digraphs; an undirected graph's edges use '--'");
            Token target = peek();
            if (isKeyword(target, "subgraph") || target.kind() == Kind.LBRACE) {
                subgraph();
            } else if (target.isId()) {
                nodes.add(nodeId());
            } else {
                throw error(target, "expected a node or subgraph after '" + op.text() + "' but found " + target.describe());
            }
            edges++;
            any = true;
        }
        if (any && peek().kind() == Kind.LBRACKET) attributes();
        return any;
    }

    private void subgraph() {
        if (acceptKeyword("subgraph") && peek().isId()) id("a subgraph name");
        expect(Kind.LBRACE, "'{' to open the subgraph");
        statements();
        expect(Kind.RBRACE, "'}' to close the subgraph");
    }

    /** {@code ID [':' ID [':' compass]]}; returns the node's name. */
    private String nodeId() {
        String name = id("a node name");
        if (accept(Kind.COLON)) {
            id("a port name after ':'");
            if (peek().kind() == Kind.COLON) {
                at++;
                Token compass = peek();
                String point = id("a compass point after ':'");
                if (!COMPASS.contains(point)) {
                    throw error(compass, "'" + point + "' is not a compass point (n, ne, e, se, s, sw, w, nw, c or _)");
                }
            }
        }
        return name;
    }

    /** One or more {@code [a=b, c=d; ...]} lists. */
    private void attributes() {
        while (accept(Kind.LBRACKET)) {
            while (peek().kind() != Kind.RBRACKET) {
                if (peek().kind() == Kind.END) throw error(peek(), "missing ']': the input ends inside an attribute list");
                Token name = peek();
                if (!name.isId()) throw error(name, "expected an attribute name or ']' but found " + name.describe());
                id("an attribute name");
                if (!accept(Kind.EQUALS)) {
                    throw error(peek(), "expected '=' after the attribute " + name.describe() + " but found " + peek().describe());
                }
                id("a value for the attribute " + name.describe());
                if (!accept(Kind.COMMA)) accept(Kind.SEMI);
            }
            at++;
        }
    }

    /** An ID: a name that is not a keyword, a number, or quoted strings joined with '+'. */
    private String id(String what) {
        Token t = peek();
        if (!t.isId()) throw error(t, "expected " + what + " but found " + t.describe());
        if (t.kind() == Kind.NAME && KEYWORDS.contains(t.text().toLowerCase(Locale.ROOT))) {
            throw error(t, "expected " + what + " but found the keyword '" + t.text() + "'; quote it to use it as a name");
        }
        at++;
        if (t.kind() != Kind.QUOTED) return t.text();
        StringBuilder value = new StringBuilder(t.text());
        while (accept(Kind.PLUS)) {
            Token more = peek();
            if (more.kind() != Kind.QUOTED) throw error(more, "expected a quoted string after '+' but found " + more.describe());
            value.append(more.text());
            at++;
        }
        return value.toString();
    }

    private Token peek() {
        return tokens.get(at);
    }

    private boolean accept(Kind kind) {
        if (peek().kind() != kind) return false;
        at++;
        return true;
    }

    private void expect(Kind kind, String what) {
        if (!accept(kind)) throw error(peek(), "expected " + what + " but found " + peek().describe());
    }

    private boolean acceptKeyword(String keyword) {
        if (!isKeyword(peek(), keyword)) return false;
        at++;
        return true;
    }

    /** Keywords are case-insensitive and only unquoted: {@code "node"} is an ordinary name. */
    private static boolean isKeyword(Token t, String keyword) {
        return t.kind() == Kind.NAME && t.text().equalsIgnoreCase(keyword);
    }

    private static SyntaxError error(Token t, String message) {
        return new SyntaxError(t.line(), t.column(), message);
    }
}

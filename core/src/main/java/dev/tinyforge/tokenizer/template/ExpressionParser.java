package dev.tinyforge.tokenizer.template;

import dev.tinyforge.tokenizer.template.Expr.CallArgs;
import dev.tinyforge.tokenizer.template.Token.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive descent over Jinja's expression grammar, with Jinja's precedence (loosest first):
 * conditional, or, and, not, comparisons/in, + -, ~, * / // %, **, unary - +, then postfix
 * (. [] call) and filters/tests. As in Jinja, {@code **} is left-associative and binds looser than
 * unary minus ({@code -2 ** 2 == 4}), and a filter applies to the unary expression before it.
 */
final class ExpressionParser {
    private static final Set<String> COMPARE_OPS = Set.of("==", "!=", "<", "<=", ">", ">=");

    private final TokenStream ts;

    ExpressionParser(TokenStream ts) {
        this.ts = ts;
    }

    /** An expression; {@code withCondexpr=false} stops before {@code if} (for-loop filters, if tags). */
    Expr expression(boolean withCondexpr) {
        return withCondexpr ? conditional() : or();
    }

    /**
     * Jinja's parse_tuple: one expression, or a comma-separated tuple without parentheses.
     * {@code endNames} are names that end the tuple (e.g. "in" after a for target).
     */
    Expr tuple(boolean simplified, boolean withCondexpr, Set<String> endNames, boolean explicitParens) {
        Pos pos = Pos.of(ts.current());
        List<Expr> items = new ArrayList<>();
        boolean isTuple = false;
        while (true) {
            if (!items.isEmpty()) ts.expectOp(",");
            if (tupleEnd(endNames)) break;
            items.add(simplified ? primary() : expression(withCondexpr));
            if (ts.current().isOp(",")) isTuple = true;
            else break;
        }
        if (!isTuple) {
            if (!items.isEmpty()) return items.getFirst();
            if (!explicitParens) throw ts.syntax(ts.current(), "expected an expression, got " + ts.current().describe());
        }
        return new Expr.ListLiteral(pos, List.copyOf(items), true);
    }

    private boolean tupleEnd(Set<String> endNames) {
        Token t = ts.current();
        return t.type() == Type.VAR_END || t.type() == Type.BLOCK_END || t.isOp(")")
                || (t.type() == Type.NAME && endNames.contains(t.text()));
    }

    private Expr conditional() {
        ts.enter();
        try {
            Expr expr = or();
            while (ts.current().isName("if")) {
                Pos pos = Pos.of(ts.next());
                Expr condition = or();
                Expr otherwise = ts.skipName("else") ? conditional() : null;
                expr = new Expr.Conditional(pos, condition, expr, otherwise);
            }
            return expr;
        } finally {
            ts.leave();
        }
    }

    private Expr or() {
        Expr left = and();
        while (ts.current().isName("or")) {
            Pos pos = Pos.of(ts.next());
            left = new Expr.Binary(pos, "or", left, and());
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (ts.current().isName("and")) {
            Pos pos = Pos.of(ts.next());
            left = new Expr.Binary(pos, "and", left, not());
        }
        return left;
    }

    private Expr not() {
        if (!ts.current().isName("not")) return compare();
        Pos pos = Pos.of(ts.next());
        ts.enter();
        try {
            return new Expr.Unary(pos, "not", not());
        } finally {
            ts.leave();
        }
    }

    private Expr compare() {
        Pos pos = Pos.of(ts.current());
        Expr first = math1();
        List<String> ops = new ArrayList<>();
        List<Expr> rest = new ArrayList<>();
        while (true) {
            Token t = ts.current();
            if (t.type() == Type.OP && COMPARE_OPS.contains(t.text())) {
                ts.next();
                ops.add(t.text());
            } else if (t.isName("in")) {
                ts.next();
                ops.add("in");
            } else if (t.isName("not") && ts.peek().isName("in")) {
                ts.next();
                ts.next();
                ops.add("not in");
            } else {
                break;
            }
            rest.add(math1());
        }
        return ops.isEmpty() ? first : new Expr.Compare(pos, first, List.copyOf(ops), List.copyOf(rest));
    }

    private Expr math1() {
        Expr left = concat();
        while (ts.current().isOp("+") || ts.current().isOp("-")) {
            Token op = ts.next();
            left = new Expr.Binary(Pos.of(op), op.text(), left, concat());
        }
        return left;
    }

    private Expr concat() {
        Expr left = math2();
        while (ts.current().isOp("~")) {
            Token op = ts.next();
            left = new Expr.Binary(Pos.of(op), "~", left, math2());
        }
        return left;
    }

    private Expr math2() {
        Expr left = pow();
        while (ts.current().isOp("*") || ts.current().isOp("/") || ts.current().isOp("//") || ts.current().isOp("%")) {
            Token op = ts.next();
            left = new Expr.Binary(Pos.of(op), op.text(), left, pow());
        }
        return left;
    }

    private Expr pow() {
        Expr left = unary(true);
        while (ts.current().isOp("**")) {
            Token op = ts.next();
            left = new Expr.Binary(Pos.of(op), "**", left, unary(true));
        }
        return left;
    }

    private Expr unary(boolean withFilter) {
        ts.enter();
        try {
            Token t = ts.current();
            Expr node;
            if (t.isOp("-") || t.isOp("+")) {
                ts.next();
                node = new Expr.Unary(Pos.of(t), t.text(), unary(false));
            } else {
                node = primary();
            }
            node = postfix(node);
            return withFilter ? filters(node) : node;
        } finally {
            ts.leave();
        }
    }

    /** A literal, name, parenthesised expression, list or dict. */
    Expr primary() {
        Token t = ts.current();
        Pos pos = Pos.of(t);
        switch (t.type()) {
            case NAME -> {
                ts.next();
                return switch (t.text()) {
                    case "true", "True" -> new Expr.Literal(pos, Value.TRUE);
                    case "false", "False" -> new Expr.Literal(pos, Value.FALSE);
                    case "none", "None" -> new Expr.Literal(pos, Value.NONE);
                    default -> new Expr.Name(pos, t.text());
                };
            }
            case STRING -> {
                // Adjacent string literals concatenate, as in Python.
                StringBuilder sb = new StringBuilder();
                while (ts.current().type() == Type.STRING) sb.append(ts.next().text());
                return new Expr.Literal(pos, new Value.StrV(sb.toString()));
            }
            case NUMBER -> {
                ts.next();
                return new Expr.Literal(pos, t.literal());
            }
            default -> {}
        }
        if (ts.skipOp("(")) {
            Expr inner = tuple(false, true, Set.of(), true);
            ts.expectOp(")");
            return inner;
        }
        if (ts.skipOp("[")) {
            List<Expr> items = new ArrayList<>();
            while (!ts.current().isOp("]")) {
                if (!items.isEmpty()) ts.expectOp(",");
                if (ts.current().isOp("]")) break;
                items.add(expression(true));
            }
            ts.expectOp("]");
            return new Expr.ListLiteral(pos, List.copyOf(items), false);
        }
        if (ts.skipOp("{")) {
            List<Expr> keys = new ArrayList<>(), values = new ArrayList<>();
            while (!ts.current().isOp("}")) {
                if (!keys.isEmpty()) ts.expectOp(",");
                if (ts.current().isOp("}")) break;
                keys.add(expression(true));
                ts.expectOp(":");
                values.add(expression(true));
            }
            ts.expectOp("}");
            return new Expr.DictLiteral(pos, List.copyOf(keys), List.copyOf(values));
        }
        throw ts.syntax(t, "unexpected " + t.describe());
    }

    private Expr postfix(Expr node) {
        while (true) {
            if (ts.current().isOp(".") || ts.current().isOp("[")) node = subscript(node);
            else if (ts.current().isOp("(")) node = call(node);
            else return node;
        }
    }

    private Expr filters(Expr node) {
        while (true) {
            if (ts.current().isOp("|")) node = filter(node);
            else if (ts.current().isName("is")) node = test(node);
            else if (ts.current().isOp("(")) node = call(node);
            else return node;
        }
    }

    private Expr subscript(Expr target) {
        Token t = ts.next();
        Pos pos = Pos.of(t);
        if (t.isOp(".")) {
            Token attr = ts.next();
            if (attr.type() == Type.NAME) return new Expr.GetAttr(pos, target, attr.text());
            if (attr.type() == Type.NUMBER && attr.literal() instanceof Value.IntV) {
                return new Expr.GetItem(pos, target, new Expr.Literal(Pos.of(attr), attr.literal()));
            }
            throw ts.syntax(attr, "expected a name or number after '.', got " + attr.describe());
        }
        List<Expr> parts = new ArrayList<>();
        Expr slice = null;
        while (!ts.current().isOp("]")) {
            if (!parts.isEmpty() || slice != null) {
                ts.expectOp(",");
                if (slice != null) throw ts.unsupported(ts.current(), "multi-dimensional subscripts are not supported");
            }
            Expr start = ts.current().isOp(":") ? null : expression(true);
            if (!ts.current().isOp(":")) {
                parts.add(start);
                continue;
            }
            if (!parts.isEmpty()) throw ts.unsupported(ts.current(), "multi-dimensional subscripts are not supported");
            ts.next();
            Expr stop = sliceEnd() ? null : expression(true);
            Expr step = null;
            if (ts.skipOp(":")) step = sliceEnd() ? null : expression(true);
            slice = new Expr.Slice(pos, target, start, stop, step);
        }
        ts.expectOp("]");
        if (slice != null) return slice;
        if (parts.isEmpty()) throw ts.syntax(t, "expected a subscript expression");
        Expr index = parts.size() == 1 ? parts.getFirst() : new Expr.ListLiteral(pos, List.copyOf(parts), true);
        return new Expr.GetItem(pos, target, index);
    }

    private boolean sliceEnd() {
        Token t = ts.current();
        return t.isOp("]") || t.isOp(",") || t.isOp(":");
    }

    /** A call; errors point at the callee (the function or method name), not the parenthesis. */
    private Expr call(Expr callee) {
        Pos pos = callee instanceof Expr.GetAttr ? Pos.of(ts.tokenBefore()) : callee.pos();
        return new Expr.Call(pos, callee, callArgs());
    }

    /** {@code (a, b, key=c)}; {@code *args} and {@code **kwargs} are refused. */
    private CallArgs callArgs() {
        ts.expectOp("(");
        List<Expr> positional = new ArrayList<>();
        Map<String, Expr> named = new LinkedHashMap<>();
        while (!ts.current().isOp(")")) {
            if (!positional.isEmpty() || !named.isEmpty()) {
                ts.expectOp(",");
                if (ts.current().isOp(")")) break;
            }
            Token t = ts.current();
            if (t.isOp("*") || t.isOp("**")) throw ts.unsupported(t, "*args and **kwargs in calls are not supported");
            if (t.type() == Type.NAME && ts.peek().isOp("=")) {
                ts.next();
                ts.next();
                if (named.put(t.text(), expression(true)) != null) {
                    throw ts.syntax(t, "keyword argument repeated: " + t.text());
                }
            } else {
                if (!named.isEmpty()) throw ts.syntax(t, "positional argument follows keyword argument");
                positional.add(expression(true));
            }
        }
        ts.expectOp(")");
        return new CallArgs(List.copyOf(positional), java.util.Collections.unmodifiableMap(named));
    }

    private Expr filter(Expr target) {
        while (ts.skipOp("|")) {
            Token nameToken = ts.expect(Type.NAME, "a filter name");
            String name = dottedName(nameToken);
            CallArgs args = ts.current().isOp("(") ? callArgs() : CallArgs.NONE;
            target = new Expr.Filter(Pos.of(nameToken), target, name, args);
        }
        return target;
    }

    private Expr test(Expr target) {
        Token is = ts.next();
        boolean negated = ts.skipName("not");
        Token nameToken = ts.expect(Type.NAME, "a test name");
        String name = dottedName(nameToken);
        CallArgs args = CallArgs.NONE;
        Token t = ts.current();
        if (t.isOp("(")) {
            args = callArgs();
        } else if ((t.type() == Type.NAME || t.type() == Type.STRING || t.type() == Type.NUMBER
                || t.isOp("[") || t.isOp("{")) && !t.isName("else") && !t.isName("or") && !t.isName("and")) {
            // Jinja allows one argument without parentheses: "x is divisibleby 3", "x is sameas none".
            if (t.isName("is")) throw ts.syntax(t, "you cannot chain multiple tests with 'is'");
            args = new CallArgs(List.of(postfix(primary())), Map.of());
        }
        return new Expr.Test(Pos.of(is), target, name, args, negated);
    }

    private String dottedName(Token first) {
        StringBuilder name = new StringBuilder(first.text());
        while (ts.skipOp(".")) name.append('.').append(ts.expect(Type.NAME, "a name").text());
        return name.toString();
    }
}

package dev.tinyforge.tokenizer.template;

import java.util.List;
import java.util.Map;

/** Expression nodes. Operators are kept as their source spelling ("+", "//", "not in" ...). */
sealed interface Expr {
    Pos pos();

    /** A constant: string, number, true/false/none. */
    record Literal(Pos pos, Value value) implements Expr {}

    /** A variable reference. */
    record Name(Pos pos, String name) implements Expr {}

    /** {@code [a, b]} or {@code (a, b)}. */
    record ListLiteral(Pos pos, List<Expr> items, boolean tuple) implements Expr {}

    /** {@code {k: v, ...}}, keys and values in source order. */
    record DictLiteral(Pos pos, List<Expr> keys, List<Expr> values) implements Expr {}

    /** {@code target.name}: Python attribute first, then item (Jinja's getattr). */
    record GetAttr(Pos pos, Expr target, String name) implements Expr {}

    /** {@code target[index]}: item first, then attribute (Jinja's getitem). */
    record GetItem(Pos pos, Expr target, Expr index) implements Expr {}

    /** {@code target[start:stop:step]}; absent parts are null. */
    record Slice(Pos pos, Expr target, Expr start, Expr stop, Expr step) implements Expr {}

    /** Arguments of a call, filter or test: positional, then keyword in source order. */
    record CallArgs(List<Expr> positional, Map<String, Expr> named) {
        static final CallArgs NONE = new CallArgs(List.of(), Map.of());
    }

    /** {@code callee(args)}; a callee that is a {@link GetAttr} may be a method call. */
    record Call(Pos pos, Expr callee, CallArgs args) implements Expr {}

    /** {@code target | name(args)}. */
    record Filter(Pos pos, Expr target, String name, CallArgs args) implements Expr {}

    /** {@code target is [not] name(args)}. */
    record Test(Pos pos, Expr target, String name, CallArgs args, boolean negated) implements Expr {}

    /** {@code not x}, {@code -x}, {@code +x}. */
    record Unary(Pos pos, String op, Expr operand) implements Expr {}

    /** Arithmetic, {@code ~}, {@code and}, {@code or}. */
    record Binary(Pos pos, String op, Expr left, Expr right) implements Expr {}

    /** A comparison chain {@code a < b <= c} (Python semantics), ops include "in" and "not in". */
    record Compare(Pos pos, Expr first, List<String> ops, List<Expr> rest) implements Expr {}

    /** {@code then if condition else otherwise}; without else, otherwise is null (gives undefined). */
    record Conditional(Pos pos, Expr condition, Expr then, Expr otherwise) implements Expr {}
}

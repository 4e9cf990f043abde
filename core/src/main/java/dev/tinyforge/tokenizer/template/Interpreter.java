package dev.tinyforge.tokenizer.template;

import dev.tinyforge.tokenizer.template.Value.DictV;
import dev.tinyforge.tokenizer.template.Value.FunctionV;
import dev.tinyforge.tokenizer.template.Value.ListV;
import dev.tinyforge.tokenizer.template.Value.LoopV;
import dev.tinyforge.tokenizer.template.Value.MethodV;
import dev.tinyforge.tokenizer.template.Value.NamespaceV;
import dev.tinyforge.tokenizer.template.Value.SeqKind;
import dev.tinyforge.tokenizer.template.Value.StrV;
import dev.tinyforge.tokenizer.template.Value.UndefinedV;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the tree for one render. Errors raised below an expression or statement are turned into a
 * {@link TemplateException} carrying that node's line and column, innermost node first.
 */
final class Interpreter {
    /** How a statement list ended: normally, or by break/continue travelling up to the enclosing loop. */
    private enum Flow { NORMAL, BREAK, CONTINUE }

    private final String templateName;
    private final Budget budget;

    Interpreter(String templateName, Budget budget) {
        this.templateName = templateName;
        this.budget = budget;
    }

    /** Renders {@code body} with {@code scope}; the output is bounded by the output limit. */
    String render(List<Node> body, Scope scope) {
        Output out = new Output(budget.limits.maxOutputChars());
        execute(body, scope, out);
        return out.toString();
    }

    /** A bounded StringBuilder: the prompt, or a captured block or macro body. */
    private static final class Output {
        private final StringBuilder sb = new StringBuilder();
        private final int max;

        Output(int max) {
            this.max = max;
        }

        void append(String s) {
            if (sb.length() + (long) s.length() > max) {
                throw EvalError.limit("rendered text is longer than the limit of " + max + " characters");
            }
            sb.append(s);
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }

    private Flow execute(List<Node> nodes, Scope scope, Output out) {
        for (Node node : nodes) {
            Flow flow = statement(node, scope, out);
            if (flow != Flow.NORMAL) return flow;
        }
        return Flow.NORMAL;
    }

    private Flow statement(Node node, Scope scope, Output out) {
        try {
            budget.step();
            switch (node) {
                case Node.Text t -> out.append(t.text());
                case Node.Output o -> out.append(Values.str(eval(o.expr(), scope)));
                case Node.If i -> {
                    for (Node.Branch b : i.branches()) {
                        if (Values.truthy(eval(b.condition(), scope))) return execute(b.body(), scope, out);
                    }
                    return execute(i.orElse(), scope, out);
                }
                case Node.For f -> loop(f, scope, out);
                case Node.Set s -> assign(s.target(), eval(s.value(), scope), scope);
                case Node.SetBlock s -> {
                    Output captured = new Output(budget.limits.maxOutputChars());
                    execute(s.body(), scope, captured);
                    assign(s.target(), new StrV(captured.toString()), scope);
                }
                case Node.Macro m -> scope.set(m.name(), new FunctionV(m.name(), args -> callMacro(m, scope, args)));
                case Node.Break b -> {
                    return Flow.BREAK;
                }
                case Node.Continue c -> {
                    return Flow.CONTINUE;
                }
                case Node.Generation g -> {
                    return execute(g.body(), scope, out);
                }
            }
            return Flow.NORMAL;
        } catch (EvalError e) {
            throw located(e, position(node));
        }
    }

    private static Pos position(Node node) {
        return switch (node) {
            case Node.Text t -> new Pos(0, 0);
            case Node.Output o -> o.pos();
            case Node.If i -> i.pos();
            case Node.For f -> f.pos();
            case Node.Set s -> s.pos();
            case Node.SetBlock s -> s.pos();
            case Node.Macro m -> m.pos();
            case Node.Break b -> b.pos();
            case Node.Continue c -> c.pos();
            case Node.Generation g -> g.pos();
        };
    }

    private void loop(Node.For f, Scope scope, Output out) {
        Value iterable = eval(f.iterable(), scope);
        if (iterable instanceof Value.NoneV) throw EvalError.type("'NoneType' object is not iterable");
        List<Value> items = Values.iterate(iterable);
        if (f.filter() != null) {
            List<Value> kept = new ArrayList<>();
            for (Value item : items) {
                budget.step();
                Scope s = new Scope(scope);
                bind(f.target(), item, s);
                s.set("loop", new UndefinedV("'loop' is undefined")); // Jinja: no loop object in the filter
                if (Values.truthy(eval(f.filter(), s))) kept.add(item);
            }
            items = kept;
        }
        // Jinja runs the else block unless some iteration reached the end of the body: an empty loop,
        // but also one whose every iteration left early by break or continue.
        boolean completedOne = false;
        LoopV loop = new LoopV(items, 1);
        for (int i = 0; i < items.size(); i++) {
            budget.step();
            loop.index0 = i;
            Scope s = new Scope(scope);
            bind(f.target(), items.get(i), s);
            s.set("loop", loop);
            Flow flow = execute(f.body(), s, out);
            if (flow == Flow.NORMAL) completedOne = true;
            if (flow == Flow.BREAK) break;
        }
        if (!completedOne) execute(f.orElse(), scope, out);
    }

    private void assign(Node.Target target, Value value, Scope scope) {
        switch (target) {
            case Node.Names n -> bind(n, value, scope);
            case Node.NamespaceAttr a -> {
                Value ns = scope.lookup(a.namespace());
                if (!(ns instanceof NamespaceV namespace)) {
                    throw EvalError.type("cannot assign attribute on non-namespace object '" + a.namespace() + "'");
                }
                namespace.attributes.put(a.attribute(), value);
            }
        }
    }

    private void bind(Node.Target target, Value value, Scope scope) {
        if (!(target instanceof Node.Names names)) throw EvalError.type("cannot bind a loop variable to an attribute");
        if (!names.tuple()) {
            scope.set(names.names().getFirst(), value);
            return;
        }
        List<Value> parts = Values.iterate(value);
        int expected = names.names().size();
        if (parts.size() != expected) {
            throw EvalError.type((parts.size() > expected ? "too many" : "not enough") + " values to unpack (expected "
                    + expected + ", got " + parts.size() + ")");
        }
        for (int i = 0; i < expected; i++) scope.set(names.names().get(i), parts.get(i));
    }

    /** A macro call: parameters bound like Python's, unknown extras refused, output captured as a string. */
    private Value callMacro(Node.Macro m, Scope definingScope, Args args) {
        List<Node.Param> params = m.params();
        if (args.positional().size() > params.size()) {
            throw EvalError.type("macro '" + m.name() + "' takes not more than " + params.size() + " argument(s)");
        }
        for (String key : args.named().keySet()) {
            if (params.stream().noneMatch(p -> p.name().equals(key))) {
                throw EvalError.type("macro '" + m.name() + "' takes no keyword argument '" + key + "'");
            }
        }
        budget.enterCall(m.name());
        try {
            Scope s = new Scope(definingScope);
            for (int i = 0; i < params.size(); i++) {
                Node.Param p = params.get(i);
                Value v = i < args.positional().size() ? args.positional().get(i) : args.named().get(p.name());
                if (v == null) {
                    v = p.defaultValue() != null ? eval(p.defaultValue(), s)
                            : new UndefinedV("parameter '" + p.name() + "' was not provided");
                }
                s.set(p.name(), v);
            }
            s.set("varargs", ListV.of(List.of()));
            s.set("kwargs", DictV.of(Map.of()));
            Output out = new Output(budget.limits.maxOutputChars());
            execute(m.body(), s, out);
            return new StrV(out.toString());
        } finally {
            budget.leaveCall();
        }
    }

    Value eval(Expr e, Scope scope) {
        try {
            return switch (e) {
                case Expr.Literal l -> l.value();
                case Expr.Name n -> {
                    Value v = scope.lookup(n.name());
                    yield v != null ? v : new UndefinedV("'" + n.name() + "' is undefined");
                }
                case Expr.ListLiteral l -> {
                    List<Value> items = new ArrayList<>(l.items().size());
                    for (Expr item : l.items()) items.add(eval(item, scope));
                    yield new ListV(List.copyOf(items), l.tuple() ? SeqKind.TUPLE : SeqKind.LIST);
                }
                case Expr.DictLiteral d -> {
                    Map<Value, Value> entries = new LinkedHashMap<>();
                    for (int i = 0; i < d.keys().size(); i++) {
                        Value key = eval(d.keys().get(i), scope);
                        Access.dictPut(entries, key, eval(d.values().get(i), scope));
                    }
                    yield DictV.of(entries);
                }
                case Expr.GetAttr g -> Access.attribute(eval(g.target(), scope), g.name());
                case Expr.GetItem g -> Access.item(eval(g.target(), scope), eval(g.index(), scope));
                case Expr.Slice s -> Access.slice(eval(s.target(), scope), optional(s.start(), scope),
                        optional(s.stop(), scope), optional(s.step(), scope));
                case Expr.Call c -> call(eval(c.callee(), scope), args(c.args(), scope));
                case Expr.Filter f -> Filters.apply(f.name(), eval(f.target(), scope), args(f.args(), scope), budget);
                case Expr.Test t -> {
                    boolean result = Tests.apply(t.name(), eval(t.target(), scope), args(t.args(), scope), budget);
                    yield Value.BoolV.of(result != t.negated());
                }
                case Expr.Unary u -> switch (u.op()) {
                    case "not" -> Value.BoolV.of(!Values.truthy(eval(u.operand(), scope)));
                    case "-" -> Operators.negate(eval(u.operand(), scope));
                    default -> Operators.plus(eval(u.operand(), scope));
                };
                case Expr.Binary b -> binary(b, scope);
                case Expr.Compare c -> compare(c, scope);
                case Expr.Conditional c -> Values.truthy(eval(c.condition(), scope)) ? eval(c.then(), scope)
                        : c.otherwise() != null ? eval(c.otherwise(), scope)
                        : new UndefinedV("the inline if-expression evaluated to false and no else section was defined");
            };
        } catch (EvalError err) {
            throw located(err, e.pos());
        }
    }

    private Value optional(Expr e, Scope scope) {
        return e == null ? null : eval(e, scope);
    }

    private Args args(Expr.CallArgs callArgs, Scope scope) {
        if (callArgs.positional().isEmpty() && callArgs.named().isEmpty()) return Args.EMPTY;
        List<Value> positional = new ArrayList<>(callArgs.positional().size());
        for (Expr a : callArgs.positional()) positional.add(eval(a, scope));
        Map<String, Value> named = new LinkedHashMap<>();
        for (Map.Entry<String, Expr> a : callArgs.named().entrySet()) named.put(a.getKey(), eval(a.getValue(), scope));
        return new Args(positional, named);
    }

    private Value call(Value callee, Args args) {
        budget.step();
        return switch (callee) {
            case FunctionV f -> f.body().call(args);
            case MethodV m -> Methods.call(m.self(), m.name(), args, budget);
            case UndefinedV u -> throw EvalError.undefined(u.hint());
            default -> throw EvalError.type("'" + Values.typeName(callee) + "' object is not callable");
        };
    }

    private Value binary(Expr.Binary b, Scope scope) {
        Value left = eval(b.left(), scope);
        return switch (b.op()) {
            // Python's and/or return an operand, not a bool.
            case "and" -> Values.truthy(left) ? eval(b.right(), scope) : left;
            case "or" -> Values.truthy(left) ? left : eval(b.right(), scope);
            case "~" -> Operators.concat(left, eval(b.right(), scope), budget);
            default -> Operators.binary(b.op(), left, eval(b.right(), scope), budget);
        };
    }

    /** A comparison chain {@code a < b < c} means {@code a < b and b < c}, each operand evaluated once. */
    private Value compare(Expr.Compare c, Scope scope) {
        Value left = eval(c.first(), scope);
        for (int i = 0; i < c.ops().size(); i++) {
            Value right = eval(c.rest().get(i), scope);
            String op = c.ops().get(i);
            boolean holds = switch (op) {
                case "==" -> Values.equal(left, right);
                case "!=" -> !Values.equal(left, right);
                case "in" -> Operators.contains(right, left);
                case "not in" -> !Operators.contains(right, left);
                case "<" -> Values.compare(left, right, op) < 0;
                case "<=" -> Values.compare(left, right, op) <= 0;
                case ">" -> Values.compare(left, right, op) > 0;
                default -> Values.compare(left, right, op) >= 0;
            };
            if (!holds) return Value.FALSE;
            left = right;
        }
        return Value.TRUE;
    }

    private TemplateException located(EvalError e, Pos pos) {
        return new TemplateException(e.kind, templateName, pos.line(), pos.column(), e.getMessage());
    }
}

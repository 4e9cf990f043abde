package dev.tinyforge.tokenizer.template;

import dev.tinyforge.tokenizer.template.Value.BoolV;
import dev.tinyforge.tokenizer.template.Value.DictV;
import dev.tinyforge.tokenizer.template.Value.FloatV;
import dev.tinyforge.tokenizer.template.Value.FunctionV;
import dev.tinyforge.tokenizer.template.Value.IntV;
import dev.tinyforge.tokenizer.template.Value.IteratorV;
import dev.tinyforge.tokenizer.template.Value.ListV;
import dev.tinyforge.tokenizer.template.Value.LoopV;
import dev.tinyforge.tokenizer.template.Value.MethodV;
import dev.tinyforge.tokenizer.template.Value.NoneV;
import dev.tinyforge.tokenizer.template.Value.SeqKind;
import dev.tinyforge.tokenizer.template.Value.StrV;
import dev.tinyforge.tokenizer.template.Value.UndefinedV;
import java.util.Set;

/**
 * Jinja's tests ({@code x is defined}, {@code x is string} ...), with the answers Python gives for
 * each type: a bool is a number but not an integer, a dict is a sequence, undefined is iterable.
 */
final class Tests {
    private Tests() {}

    static final Set<String> NAMES = Set.of("boolean", "callable", "defined", "divisibleby", "eq", "equalto",
            "escaped", "even", "false", "filter", "float", "ge", "greaterthan", "gt", "in", "integer", "iterable",
            "le", "lessthan", "lower", "lt", "mapping", "ne", "none", "number", "odd", "sameas", "sequence",
            "string", "test", "true", "undefined", "upper", "==", "!=", "<", "<=", ">", ">=");

    static boolean apply(String name, Value v, Args args, Budget budget) {
        String what = "test '" + name + "'";
        return switch (name) {
            case "defined" -> noArgs(args, what, !(v instanceof UndefinedV));
            case "undefined" -> noArgs(args, what, v instanceof UndefinedV);
            case "none" -> noArgs(args, what, v instanceof NoneV);
            case "boolean" -> noArgs(args, what, v instanceof BoolV);
            case "true" -> noArgs(args, what, v == Value.TRUE);
            case "false" -> noArgs(args, what, v == Value.FALSE);
            case "integer" -> noArgs(args, what, v instanceof IntV);
            case "float" -> noArgs(args, what, v instanceof FloatV);
            case "number" -> noArgs(args, what, v instanceof IntV || v instanceof FloatV || v instanceof BoolV);
            case "string" -> noArgs(args, what, v instanceof StrV);
            case "mapping" -> noArgs(args, what, v instanceof DictV);
            case "iterable" -> noArgs(args, what, v instanceof StrV || v instanceof ListV || v instanceof DictV
                    || v instanceof UndefinedV || v instanceof IteratorV || v instanceof LoopV);
            // Python: has len() and __getitem__ (dict views have no __getitem__, generators no len()).
            case "sequence" -> noArgs(args, what, v instanceof StrV || v instanceof DictV || v instanceof UndefinedV
                    || v instanceof ListV l && l.kind() != SeqKind.DICT_KEYS && l.kind() != SeqKind.DICT_VALUES
                    && l.kind() != SeqKind.DICT_ITEMS);
            // Jinja's Undefined defines __call__ (to raise), so Python calls it callable.
            case "callable" -> noArgs(args, what, v instanceof FunctionV || v instanceof MethodV || v instanceof LoopV
                    || v instanceof UndefinedV);
            case "escaped" -> noArgs(args, what, v instanceof StrV s && s.markup());
            case "lower" -> noArgs(args, what, Values.truthy(Methods.call(new StrV(Values.str(v)), "islower", Args.EMPTY, budget)));
            case "upper" -> noArgs(args, what, Values.truthy(Methods.call(new StrV(Values.str(v)), "isupper", Args.EMPTY, budget)));
            case "odd" -> noArgs(args, what, Values.equal(Operators.binary("%", v, new IntV(2), budget), new IntV(1)));
            case "even" -> noArgs(args, what, Values.equal(Operators.binary("%", v, new IntV(2), budget), new IntV(0)));
            case "divisibleby" -> Values.equal(Operators.binary("%", v, one(args, what, "num"), budget), new IntV(0));
            case "eq", "equalto", "==" -> Values.equal(v, one(args, what, "other"));
            case "ne", "!=" -> !Values.equal(v, one(args, what, "other"));
            case "lt", "lessthan", "<" -> Values.compare(v, one(args, what, "other"), "<") < 0;
            case "le", "<=" -> Values.compare(v, one(args, what, "other"), "<=") <= 0;
            case "gt", "greaterthan", ">" -> Values.compare(v, one(args, what, "other"), ">") > 0;
            case "ge", ">=" -> Values.compare(v, one(args, what, "other"), ">=") >= 0;
            case "in" -> Operators.contains(one(args, what, "seq"), v);
            case "sameas" -> sameAs(v, one(args, what, "other"));
            case "filter" -> v instanceof StrV s && Filters.NAMES.contains(s.value());
            case "test" -> v instanceof StrV s && NAMES.contains(s.value());
            default -> throw EvalError.type("no test named '" + name + "'");
        };
    }

    /** Python's {@code is}: identity. Singletons and small ints (which CPython caches) compare by value. */
    private static boolean sameAs(Value a, Value b) {
        if (a instanceof IntV x && b instanceof IntV y) return x.value() == y.value() && x.value() >= -5 && x.value() <= 256;
        return a == b;
    }

    private static boolean noArgs(Args args, String what, boolean result) {
        args.bind(what, 0);
        return result;
    }

    private static Value one(Args args, String what, String param) {
        return args.bind(what, 1, param)[0];
    }
}

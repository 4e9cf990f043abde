package dev.tinyforge.tokenizer.template;

import dev.tinyforge.tokenizer.template.Value.DictV;
import dev.tinyforge.tokenizer.template.Value.FunctionV;
import dev.tinyforge.tokenizer.template.Value.IntV;
import dev.tinyforge.tokenizer.template.Value.ListV;
import dev.tinyforge.tokenizer.template.Value.NamespaceV;
import dev.tinyforge.tokenizer.template.Value.SeqKind;
import dev.tinyforge.tokenizer.template.Value.StrV;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions every template can call: Jinja's globals ({@code range}, {@code dict},
 * {@code namespace}) and the two HF adds ({@code raise_exception}, {@code strftime_now}).
 */
final class Globals {
    private Globals() {}

    /** A scope holding the globals; the render's variables go in a child scope, so they can shadow them. */
    static Scope scope(Budget budget, Clock clock) {
        Scope s = new Scope(null);
        define(s, "range", args -> range(args, budget));
        define(s, "namespace", Globals::namespace);
        define(s, "dict", args -> DictV.of(mapping(args, "dict")));
        define(s, "raise_exception", args -> {
            throw EvalError.raised(Values.str(args.bind("raise_exception()", 1, "message")[0]));
        });
        define(s, "strftime_now", args -> {
            String format = Methods.text(args.bind("strftime_now()", 1, "format")[0], "strftime_now()");
            String text = Strftime.format(LocalDateTime.now(clock), format);
            budget.chars(text.length());
            return new StrV(text);
        });
        for (String name : List.of("lipsum", "cycler", "joiner")) {
            define(s, name, args -> {
                throw EvalError.unsupported("the global function '" + name + "' is not supported");
            });
        }
        return s;
    }

    private static void define(Scope s, String name, Value.Callable body) {
        s.set(name, new FunctionV(name, body));
    }

    /** Python's range: 1 to 3 integer arguments; longer than the list limit is refused, as Jinja's sandbox does. */
    private static Value range(Args args, Budget budget) {
        if (!args.named().isEmpty()) throw EvalError.type("range() takes no keyword arguments");
        List<Value> p = args.positional();
        if (p.isEmpty() || p.size() > 3) throw EvalError.type("range expected 1 to 3 arguments, got " + p.size());
        long start = 0, stop, step = 1;
        if (p.size() == 1) {
            stop = Methods.integer(p.get(0), "range()");
        } else {
            start = Methods.integer(p.get(0), "range()");
            stop = Methods.integer(p.get(1), "range()");
            if (p.size() == 3) step = Methods.integer(p.get(2), "range()");
        }
        if (step == 0) throw EvalError.type("range() arg 3 must not be zero");
        // BigInteger: stop - start can overflow a long.
        java.math.BigInteger span = java.math.BigInteger.valueOf(stop).subtract(java.math.BigInteger.valueOf(start));
        java.math.BigInteger s = java.math.BigInteger.valueOf(step);
        java.math.BigInteger count = step > 0
                ? span.add(s).subtract(java.math.BigInteger.ONE).divide(s)
                : span.add(s).add(java.math.BigInteger.ONE).divide(s);
        long n = count.signum() <= 0 ? 0 : count.min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        if (n > budget.limits.maxListItems()) {
            throw EvalError.limit("range of " + n + " items exceeds the limit of " + budget.limits.maxListItems());
        }
        budget.items(n);
        List<Value> items = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) items.add(new IntV(start + i * step));
        return new ListV(List.copyOf(items), SeqKind.RANGE);
    }

    private static Value namespace(Args args) {
        NamespaceV ns = new NamespaceV();
        for (Map.Entry<Value, Value> e : mapping(args, "namespace").entrySet()) {
            if (!(e.getKey() instanceof StrV key)) throw EvalError.type("namespace() keys must be strings");
            ns.attributes.put(key.value(), e.getValue());
        }
        return ns;
    }

    /** {@code dict(mapping_or_pairs, **kwargs)} and {@code namespace(...)}: Python's dict() constructor rules. */
    private static Map<Value, Value> mapping(Args args, String what) {
        if (args.positional().size() > 1) {
            throw EvalError.type(what + "() expected at most 1 positional argument, got " + args.positional().size());
        }
        Map<Value, Value> out = new LinkedHashMap<>();
        if (!args.positional().isEmpty()) {
            Value source = args.positional().getFirst();
            if (source instanceof DictV d) {
                out.putAll(d.entries());
            } else if (source instanceof Value.UndefinedV u) {
                throw EvalError.undefined(u.hint());
            } else {
                for (Value pair : Values.iterate(source)) {
                    List<Value> kv = Values.iterate(pair);
                    if (kv.size() != 2) throw EvalError.type(what + "(): each item must be a (key, value) pair");
                    Access.dictPut(out, kv.get(0), kv.get(1));
                }
            }
        }
        for (Map.Entry<String, Value> e : args.named().entrySet()) out.put(new StrV(e.getKey()), e.getValue());
        return out;
    }
}

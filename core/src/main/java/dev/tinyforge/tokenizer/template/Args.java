package dev.tinyforge.tokenizer.template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The arguments of one call, filter or test: positional values, then keyword values in source order. */
record Args(List<Value> positional, Map<String, Value> named) {
    static final Args EMPTY = new Args(List.of(), Map.of());

    static Args of(Value... positional) {
        return new Args(List.of(positional), Map.of());
    }

    /** The same arguments with {@code first} put in front (a filter's input, a test's subject). */
    Args prepend(Value first) {
        var all = new java.util.ArrayList<Value>(positional.size() + 1);
        all.add(first);
        all.addAll(positional);
        return new Args(all, named);
    }

    /**
     * Binds the arguments to Python-style parameters {@code names}, the first {@code required} of
     * them mandatory. Returns one slot per name, {@code null} where the caller gave nothing.
     * Extra, duplicate or unknown arguments are errors, as they are in Python.
     */
    Value[] bind(String what, int required, String... names) {
        if (positional.size() > names.length) {
            throw EvalError.type(what + " takes at most " + names.length + " argument"
                    + (names.length == 1 ? "" : "s") + " (" + positional.size() + " given)");
        }
        Value[] slots = new Value[names.length];
        for (int i = 0; i < positional.size(); i++) slots[i] = positional.get(i);
        for (Map.Entry<String, Value> e : named.entrySet()) {
            int at = List.of(names).indexOf(e.getKey());
            if (at < 0) throw EvalError.type(what + " got an unexpected keyword argument '" + e.getKey() + "'");
            if (slots[at] != null) throw EvalError.type(what + " got multiple values for argument '" + e.getKey() + "'");
            slots[at] = e.getValue();
        }
        for (int i = 0; i < required; i++) {
            if (slots[i] == null) throw EvalError.type(what + " missing required argument '" + names[i] + "'");
        }
        return slots;
    }

    /** Keyword arguments as a fresh mutable map (for {@code namespace(...)} and {@code dict(...)}). */
    LinkedHashMap<String, Value> namedCopy() {
        return new LinkedHashMap<>(named);
    }
}

package dev.tinyforge.tokenizer.template;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a render. As in Jinja, each for-loop iteration and each macro call
 * gets a child scope (so a plain {@code set} inside a loop does not leak out, which is why templates use
 * {@code namespace()}), while {@code if} blocks share their parent's scope.
 */
final class Scope {
    private final Scope parent;
    private final Map<String, Value> vars = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    /** The value bound to {@code name} here or in an enclosing scope, or null. */
    Value lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Value v = s.vars.get(name);
            if (v != null) return v;
        }
        return null;
    }

    void set(String name, Value value) {
        vars.put(name, value);
    }
}

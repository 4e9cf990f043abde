package dev.tinyforge.tokenizer.template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A runtime value of the template language. Each record stands for the Python object that Jinja
 * would see when HF transformers renders a chat template, so that truthiness, {@code str()}, equality
 * and the tests ({@code is string}, {@code is mapping} ...) can follow Python exactly.
 *
 * <p>Lists and dicts are immutable: HF renders with Jinja's {@code ImmutableSandboxedEnvironment},
 * where {@code list.append} and friends raise. The only mutable values are {@link NamespaceV}
 * (assigned through {@code {% set ns.x = ... %}}) and the {@link LoopV} cursor.
 */
sealed interface Value {

    /**
     * A Python {@code str}. Lengths and indices count code points, as Python does. {@code markup} marks
     * a markupsafe {@code Markup} (what {@code |safe} and {@code |escape} return): it equals the plain
     * string, but {@code +} and some methods HTML-escape their other operands (see {@link Markup}).
     */
    record StrV(String value, boolean markup) implements Value {
        static final StrV EMPTY = new StrV("");

        StrV(String value) {
            this(value, false);
        }

        // Markup('a') == 'a' and hashes alike in Python, so the flag stays out of equality (dict keys).
        @Override
        public boolean equals(Object o) {
            return o instanceof StrV s && s.value.equals(value);
        }

        @Override
        public int hashCode() {
            return value.hashCode();
        }
    }

    /** A Python {@code int}, limited to 64 bits; overflow is an error, never a silent wrap. */
    record IntV(long value) implements Value {}

    /** A Python {@code float}. */
    record FloatV(double value) implements Value {}

    /** {@code True} / {@code False}. In Python a bool is also an int (True + 1 == 2). */
    enum BoolV implements Value {
        FALSE, TRUE;

        static BoolV of(boolean b) {
            return b ? TRUE : FALSE;
        }

        boolean value() {
            return this == TRUE;
        }
    }

    /** {@code None}. */
    enum NoneV implements Value { NONE }

    /**
     * Jinja's default {@code Undefined}: falsy, prints as nothing, iterates as empty, but raises when
     * its attributes are read, when it is called or used in arithmetic. {@code hint} is that error.
     */
    record UndefinedV(String hint) implements Value {}

    /** The Python sequence kinds a template can meet; they print and compare differently. */
    enum SeqKind { LIST, TUPLE, DICT_KEYS, DICT_VALUES, DICT_ITEMS, RANGE }

    /** A list, tuple, dict view or range; {@code items} is unmodifiable. */
    record ListV(List<Value> items, SeqKind kind) implements Value {
        static ListV of(List<Value> items) {
            return new ListV(List.copyOf(items), SeqKind.LIST);
        }

        static ListV tuple(Value... items) {
            return new ListV(List.of(items), SeqKind.TUPLE);
        }
    }

    /** A dict, insertion-ordered and unmodifiable. Keys use record equality (so 1 and 1.0 differ). */
    record DictV(Map<Value, Value> entries) implements Value {
        static DictV of(Map<Value, Value> entries) {
            return new DictV(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries)));
        }
    }

    /** {@code namespace(...)}: the one object whose attributes a template may assign. */
    final class NamespaceV implements Value {
        final LinkedHashMap<String, Value> attributes = new LinkedHashMap<>();
    }

    /** The {@code loop} variable of a for loop: a cursor over the (already filtered) items. */
    final class LoopV implements Value {
        final List<Value> items;
        final int depth;
        int index0;

        LoopV(List<Value> items, int depth) {
            this.items = items;
            this.depth = depth;
        }
    }

    /**
     * A one-shot Python iterator, as {@code select}, {@code map}, {@code unique} and friends return
     * (generators) and {@code reverse} on a list returns. Faithful where it shows: always truthy, no
     * {@code len()}, and a second iteration sees only what the first left.
     */
    final class IteratorV implements Value {
        final List<Value> items;
        final String typeName;
        int position;

        IteratorV(List<Value> items, String typeName) {
            this.items = List.copyOf(items);
            this.typeName = typeName;
        }

        /** The items not consumed yet; consumes them. */
        List<Value> drain() {
            List<Value> rest = items.subList(position, items.size());
            position = items.size();
            return rest;
        }
    }

    /** A callable: a global function ({@code range}, {@code raise_exception} ...) or a macro. */
    record FunctionV(String name, Callable body) implements Value {}

    /** A method looked up on a value but not called yet, e.g. {@code message.content.startswith}. */
    record MethodV(Value self, String name) implements Value {}

    /** The code behind a {@link FunctionV}. */
    @FunctionalInterface
    interface Callable {
        Value call(Args args);
    }

    Value TRUE = BoolV.TRUE;
    Value FALSE = BoolV.FALSE;
    Value NONE = NoneV.NONE;
}

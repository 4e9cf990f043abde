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
import dev.tinyforge.tokenizer.template.Value.NamespaceV;
import dev.tinyforge.tokenizer.template.Value.NoneV;
import dev.tinyforge.tokenizer.template.Value.SeqKind;
import dev.tinyforge.tokenizer.template.Value.StrV;
import dev.tinyforge.tokenizer.template.Value.UndefinedV;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Python semantics of values: truthiness, {@code str()}, {@code repr()}, {@code ==}, ordering, iteration. */
final class Values {
    private Values() {}

    /** Python's {@code bool(v)}; undefined is false. */
    static boolean truthy(Value v) {
        return switch (v) {
            case BoolV b -> b.value();
            case NoneV n -> false;
            case UndefinedV u -> false;
            case StrV s -> !s.value().isEmpty();
            case IntV i -> i.value() != 0;
            case FloatV f -> f.value() != 0;
            case ListV l -> !l.items().isEmpty();
            case DictV d -> !d.entries().isEmpty();
            case NamespaceV ns -> true;
            case LoopV loop -> true;
            case IteratorV it -> true;
            case FunctionV f -> true;
            case MethodV m -> true;
        };
    }

    /** Python's {@code str(v)}, which is what {@code {{ v }}} prints; undefined prints as nothing. */
    static String str(Value v) {
        return switch (v) {
            case StrV s -> s.value();
            case UndefinedV u -> "";
            case NamespaceV ns -> "<Namespace " + reprDict(ns.attributes) + ">";
            case LoopV loop -> "<LoopContext " + (loop.index0 + 1) + "/" + loop.items.size() + ">";
            default -> repr(v);
        };
    }

    /** Python's {@code repr(v)}, used for values inside printed lists and dicts. */
    static String repr(Value v) {
        return switch (v) {
            case StrV s -> s.markup() ? "Markup(" + PyStrings.repr(s.value()) + ")" : PyStrings.repr(s.value());
            case IntV i -> Long.toString(i.value());
            case FloatV f -> PyFloats.repr(f.value());
            case BoolV b -> b.value() ? "True" : "False";
            case NoneV n -> "None";
            case UndefinedV u -> "Undefined";
            case ListV l -> reprSequence(l);
            case DictV d -> reprDict(d.entries());
            case NamespaceV ns -> str(ns);
            case LoopV loop -> str(loop);
            case IteratorV it -> throw EvalError.unsupported("cannot print a " + it.typeName
                    + " object (Jinja would print its address); add |list");
            // Python would print an address ("<function ...at 0x7f...>"): never what a prompt wants.
            case FunctionV f -> throw EvalError.unsupported("cannot print function '" + f.name() + "'");
            case MethodV m -> throw EvalError.unsupported("cannot print method '" + m.name() + "' of a "
                    + typeName(m.self()) + " (did you forget the parentheses?)");
        };
    }

    private static String reprSequence(ListV l) {
        StringBuilder sb = new StringBuilder();
        String open = switch (l.kind()) {
            case LIST -> "[";
            case TUPLE -> "(";
            case DICT_KEYS -> "dict_keys([";
            case DICT_VALUES -> "dict_values([";
            case DICT_ITEMS -> "dict_items([";
            case RANGE -> throw EvalError.unsupported("cannot print a range object; use range(...)|list");
        };
        sb.append(open);
        for (int i = 0; i < l.items().size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(repr(l.items().get(i)));
        }
        if (l.kind() == SeqKind.TUPLE && l.items().size() == 1) sb.append(',');
        return sb.append(switch (l.kind()) {
            case LIST -> "]";
            case TUPLE -> ")";
            default -> "])";
        }).toString();
    }

    private static String reprDict(Map<?, Value> entries) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<?, Value> e : entries.entrySet()) {
            if (!first) sb.append(", ");
            first = false;
            Object key = e.getKey();
            sb.append(key instanceof Value k ? repr(k) : PyStrings.repr(key.toString()));
            sb.append(": ").append(repr(e.getValue()));
        }
        return sb.append('}').toString();
    }

    /** Python's type name, for error messages. */
    static String typeName(Value v) {
        return switch (v) {
            case StrV s -> "str";
            case IntV i -> "int";
            case FloatV f -> "float";
            case BoolV b -> "bool";
            case NoneV n -> "NoneType";
            case UndefinedV u -> "Undefined";
            case ListV l -> switch (l.kind()) {
                case LIST -> "list";
                case TUPLE -> "tuple";
                case DICT_KEYS -> "dict_keys";
                case DICT_VALUES -> "dict_values";
                case DICT_ITEMS -> "dict_items";
                case RANGE -> "range";
            };
            case DictV d -> "dict";
            case NamespaceV ns -> "Namespace";
            case LoopV loop -> "LoopContext";
            case IteratorV it -> it.typeName;
            case FunctionV f -> "function";
            case MethodV m -> "method";
        };
    }

    /** Numbers as Python sees them: bool is an int. Returns null for non-numbers. */
    static Number number(Value v) {
        return switch (v) {
            case IntV i -> i.value();
            case BoolV b -> b.value() ? 1L : 0L;
            case FloatV f -> f.value();
            default -> null;
        };
    }

    /** Python's {@code ==}. Undefined equals only undefined (Jinja's Undefined.__eq__). */
    static boolean equal(Value a, Value b) {
        Number x = number(a), y = number(b);
        if (x != null && y != null) return numbersEqual(x, y);
        return switch (a) {
            case StrV s -> b instanceof StrV t && s.value().equals(t.value());
            case NoneV n -> b instanceof NoneV;
            case UndefinedV u -> b instanceof UndefinedV;
            case ListV l -> b instanceof ListV m && l.kind() == m.kind() && sequencesEqual(l.items(), m.items());
            case DictV d -> b instanceof DictV e && dictsEqual(d.entries(), e.entries());
            default -> a.equals(b);
        };
    }

    private static boolean numbersEqual(Number x, Number y) {
        if (x instanceof Long l && y instanceof Long m) return l.longValue() == m.longValue();
        if (x instanceof Double d && y instanceof Double e) return d.doubleValue() == e.doubleValue();
        long l = x instanceof Long xl ? xl : (Long) y;
        double d = x instanceof Double xd ? xd : (Double) y;
        // Exact, as in Python: 2**53 + 1 != 2.0**53 although (double) (2**53 + 1) == 2.0**53.
        return d == Math.rint(d) && Math.abs(d) < 0x1p63 && (long) d == l;
    }

    private static boolean sequencesEqual(List<Value> a, List<Value> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (!equal(a.get(i), b.get(i))) return false;
        return true;
    }

    private static boolean dictsEqual(Map<Value, Value> a, Map<Value, Value> b) {
        if (a.size() != b.size()) return false;
        for (Map.Entry<Value, Value> e : a.entrySet()) {
            Value other = b.get(e.getKey());
            if (other == null || !equal(e.getValue(), other)) return false;
        }
        return true;
    }

    /** Python's ordering for {@code <} and sorting: numbers, strings (by code point), same-kind sequences. */
    static int compare(Value a, Value b, String op) {
        if (a instanceof UndefinedV u) throw EvalError.undefined(u.hint());
        if (b instanceof UndefinedV u) throw EvalError.undefined(u.hint());
        Number x = number(a), y = number(b);
        if (x != null && y != null) {
            if (x instanceof Long l && y instanceof Long m) return Long.compare(l, m);
            return exact(x).compareTo(exact(y));
        }
        if (a instanceof StrV s && b instanceof StrV t) return PyStrings.compare(s.value(), t.value());
        if (a instanceof ListV l && b instanceof ListV m && l.kind() == m.kind()
                && (l.kind() == SeqKind.LIST || l.kind() == SeqKind.TUPLE)) {
            int n = Math.min(l.items().size(), m.items().size());
            for (int i = 0; i < n; i++) {
                if (!equal(l.items().get(i), m.items().get(i))) return compare(l.items().get(i), m.items().get(i), op);
            }
            return Integer.compare(l.items().size(), m.items().size());
        }
        throw EvalError.type("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    private static BigDecimal exact(Number n) {
        if (n instanceof Long l) return BigDecimal.valueOf(l);
        double d = n.doubleValue();
        if (Double.isNaN(d)) throw EvalError.unsupported("comparisons with nan are not supported");
        if (Double.isInfinite(d)) return d > 0 ? BigDecimal.valueOf(Double.MAX_VALUE).multiply(BigDecimal.TEN)
                : BigDecimal.valueOf(-Double.MAX_VALUE).multiply(BigDecimal.TEN);
        return new BigDecimal(d);
    }

    /** The items a for loop or a list filter sees: characters of a string, keys of a dict, nothing for undefined. */
    static List<Value> iterate(Value v) {
        return switch (v) {
            case ListV l -> l.items();
            case DictV d -> List.copyOf(d.entries().keySet());
            case UndefinedV u -> List.of();
            case IteratorV it -> it.drain();
            case LoopV loop -> loop.items;
            case StrV s -> s.value().codePoints().mapToObj(cp -> (Value) new StrV(Character.toString(cp))).toList();
            default -> throw EvalError.type("'" + typeName(v) + "' object is not iterable");
        };
    }

    /** Python's {@code len(v)}; undefined has length 0. */
    static int length(Value v) {
        return switch (v) {
            case StrV s -> PyStrings.length(s.value());
            case ListV l -> l.items().size();
            case DictV d -> d.entries().size();
            case UndefinedV u -> 0;
            case NamespaceV ns -> throw EvalError.type("object of type 'Namespace' has no len()");
            default -> throw EvalError.type("object of type '" + typeName(v) + "' has no len()");
        };
    }

    /**
     * Converts caller data (messages, tools, extra variables: String, Number, Boolean, null, Map, List,
     * arrays, as Jackson produces them) into template values.
     */
    static Value fromJava(Object o) {
        return fromJava(o, 0);
    }

    private static Value fromJava(Object o, int depth) {
        if (depth > 200) throw new IllegalArgumentException("template variables nest deeper than 200 levels (a cycle?)");
        return switch (o) {
            case null -> Value.NONE;
            case Value v -> v;
            case CharSequence s -> new StrV(s.toString());
            case Character c -> new StrV(c.toString());
            case Boolean b -> BoolV.of(b);
            case Integer i -> new IntV(i);
            case Long l -> new IntV(l);
            case Short s -> new IntV(s);
            case Byte b -> new IntV(b);
            case BigInteger b -> {
                if (b.bitLength() > 63) throw new IllegalArgumentException("integer " + b + " does not fit in 64 bits");
                yield new IntV(b.longValue());
            }
            case Double d -> new FloatV(d);
            case Float f -> new FloatV(f);
            case BigDecimal b -> new FloatV(b.doubleValue());
            case Map<?, ?> map -> {
                Map<Value, Value> entries = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    Access.dictPut(entries, fromJava(e.getKey(), depth + 1), fromJava(e.getValue(), depth + 1));
                }
                yield DictV.of(entries);
            }
            case Collection<?> c -> {
                List<Value> items = new ArrayList<>(c.size());
                for (Object item : c) items.add(fromJava(item, depth + 1));
                yield ListV.of(items);
            }
            case Object[] array -> fromJava(java.util.Arrays.asList(array), depth);
            default -> throw new IllegalArgumentException("cannot pass a " + o.getClass().getName()
                    + " to a chat template (use String, Number, Boolean, null, Map or List)");
        };
    }
}

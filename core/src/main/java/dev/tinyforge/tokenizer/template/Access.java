package dev.tinyforge.tokenizer.template;

import dev.tinyforge.tokenizer.template.Value.BoolV;
import dev.tinyforge.tokenizer.template.Value.DictV;
import dev.tinyforge.tokenizer.template.Value.FloatV;
import dev.tinyforge.tokenizer.template.Value.IntV;
import dev.tinyforge.tokenizer.template.Value.ListV;
import dev.tinyforge.tokenizer.template.Value.LoopV;
import dev.tinyforge.tokenizer.template.Value.MethodV;
import dev.tinyforge.tokenizer.template.Value.NamespaceV;
import dev.tinyforge.tokenizer.template.Value.NoneV;
import dev.tinyforge.tokenizer.template.Value.SeqKind;
import dev.tinyforge.tokenizer.template.Value.StrV;
import dev.tinyforge.tokenizer.template.Value.UndefinedV;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code x.name}, {@code x[key]} and {@code x[a:b:c]} with Jinja's sandboxed lookup rules:
 * {@code .name} tries the Python attribute (a method such as {@code dict.items}) before the item,
 * {@code [key]} the item before the attribute; a miss gives undefined, but any lookup on an undefined
 * value raises, as Jinja's default Undefined does.
 */
final class Access {
    private Access() {}

    /** Python attributes of int/float that Jinja would find; we refuse them rather than return undefined. */
    private static final Set<String> NUMBER_ATTRIBUTES = Set.of("real", "imag", "numerator", "denominator",
            "conjugate", "bit_length", "bit_count", "is_integer", "hex", "as_integer_ratio", "to_bytes");

    static Value attribute(Value target, String name) {
        if (target instanceof UndefinedV u) throw EvalError.undefined(u.hint());
        if (name.startsWith("_")) {
            throw EvalError.unsupported("access to attribute '" + name + "' of a " + Values.typeName(target)
                    + " is not allowed (sandbox)");
        }
        return switch (target) {
            case DictV d -> Methods.isMethod(target, name) ? new MethodV(target, name) : item(d, new StrV(name));
            case StrV s -> Methods.isMethod(target, name) ? new MethodV(target, name) : noAttribute(target, name);
            case ListV l -> Methods.isMethod(target, name) ? new MethodV(target, name) : noAttribute(target, name);
            case NamespaceV ns -> {
                Value v = ns.attributes.get(name);
                yield v != null ? v : noAttribute(target, name);
            }
            case LoopV loop -> loopAttribute(loop, name);
            case IntV i -> numberAttribute(target, name);
            case FloatV f -> numberAttribute(target, name);
            case BoolV b -> numberAttribute(target, name);
            default -> noAttribute(target, name);
        };
    }

    private static Value numberAttribute(Value target, String name) {
        if (NUMBER_ATTRIBUTES.contains(name)) {
            throw EvalError.unsupported("attribute '" + name + "' of a " + Values.typeName(target) + " is not supported");
        }
        return noAttribute(target, name);
    }

    private static Value noAttribute(Value target, String name) {
        return new UndefinedV("'" + Values.typeName(target) + " object' has no attribute '" + name + "'");
    }

    /** {@code target[key]}: the item, else (for a string key) the attribute, else undefined. */
    static Value item(Value target, Value key) {
        if (target instanceof UndefinedV u) throw EvalError.undefined(u.hint());
        Value found = switch (target) {
            case DictV d -> dictGet(d, key);
            case ListV l -> index(key) instanceof Long i ? at(l.items(), i) : null;
            case StrV s -> index(key) instanceof Long i ? charAt(s, i) : null;
            default -> null;
        };
        if (found != null) return found;
        if (key instanceof StrV name && !(target instanceof DictV) && !(target instanceof NoneV)) {
            return attribute(target, name.value());
        }
        if (key instanceof StrV name && target instanceof DictV && Methods.isMethod(target, name.value())) {
            return new MethodV(target, name.value());
        }
        return new UndefinedV("'" + Values.typeName(target) + " object' has no attribute " + Values.repr(key));
    }

    /** A dict lookup with Python's key equality (1, 1.0 and True are the same key). */
    static Value dictGet(DictV d, Value key) {
        requireHashable(key);
        Value v = d.entries().get(key);
        if (v != null || Values.number(key) == null) return v;
        for (Map.Entry<Value, Value> e : d.entries().entrySet()) {
            if (Values.equal(e.getKey(), key)) return e.getValue();
        }
        return null;
    }

    /**
     * Puts into a dict being built with Python's key equality: 1, 1.0 and True are one key, which
     * keeps the first spelling and takes the last value ({@code {1: 'a', true: 'b'}} is {@code {1: 'b'}}).
     */
    static void dictPut(Map<Value, Value> entries, Value key, Value value) {
        requireHashable(key);
        if (Values.number(key) != null && !entries.containsKey(key)) {
            for (Value existing : entries.keySet()) {
                if (Values.equal(existing, key)) {
                    entries.put(existing, value);
                    return;
                }
            }
        }
        entries.put(key, value);
    }

    /** Python refuses lists, dicts and their key/item views as dict keys. */
    static void requireHashable(Value key) {
        if (key instanceof ListV l && (l.kind() == SeqKind.LIST || l.kind() == SeqKind.DICT_KEYS
                || l.kind() == SeqKind.DICT_ITEMS) || key instanceof DictV) {
            throw EvalError.type("unhashable type: '" + Values.typeName(key) + "'");
        }
    }

    private static Long index(Value key) {
        return switch (key) {
            case IntV i -> i.value();
            case BoolV b -> b.value() ? 1L : 0L;
            default -> null;
        };
    }

    private static Value at(List<Value> items, long i) {
        long at = i < 0 ? i + items.size() : i;
        return at >= 0 && at < items.size() ? items.get((int) at) : null;
    }

    private static Value charAt(StrV str, long i) {
        String s = str.value();
        int n = PyStrings.length(s);
        long at = i < 0 ? i + n : i;
        if (at < 0 || at >= n) return null;
        int offset = s.offsetByCodePoints(0, (int) at);
        return new StrV(Character.toString(s.codePointAt(offset)), str.markup());
    }

    private static Value loopAttribute(LoopV loop, String name) {
        int i = loop.index0, n = loop.items.size();
        return switch (name) {
            case "index" -> new IntV(i + 1);
            case "index0" -> new IntV(i);
            case "revindex" -> new IntV(n - i);
            case "revindex0" -> new IntV(n - i - 1);
            case "first" -> BoolV.of(i == 0);
            case "last" -> BoolV.of(i == n - 1);
            case "length" -> new IntV(n);
            case "depth" -> new IntV(loop.depth);
            case "depth0" -> new IntV(loop.depth - 1);
            case "previtem" -> i > 0 ? loop.items.get(i - 1) : new UndefinedV("there is no previous item");
            case "nextitem" -> i < n - 1 ? loop.items.get(i + 1) : new UndefinedV("there is no next item");
            case "cycle" -> new MethodV(loop, "cycle");
            case "changed" -> throw EvalError.unsupported("loop.changed() is not supported");
            default -> noAttribute(loop, name);
        };
    }

    /** {@code target[start:stop:step]} on a string (by code point) or a list/tuple. */
    static Value slice(Value target, Value start, Value stop, Value step) {
        if (target instanceof UndefinedV u) throw EvalError.undefined(u.hint());
        Long st = sliceIndex(step);
        long stepValue = st == null ? 1 : st;
        if (stepValue == 0) throw EvalError.type("slice step cannot be zero");
        return switch (target) {
            case StrV s -> {
                int[] cps = s.value().codePoints().toArray();
                StringBuilder sb = new StringBuilder();
                for (int i : indices(cps.length, sliceIndex(start), sliceIndex(stop), stepValue)) sb.appendCodePoint(cps[i]);
                yield new StrV(sb.toString(), s.markup());
            }
            case ListV l -> {
                List<Value> out = new ArrayList<>();
                for (int i : indices(l.items().size(), sliceIndex(start), sliceIndex(stop), stepValue)) out.add(l.items().get(i));
                SeqKind kind = l.kind() == SeqKind.TUPLE ? SeqKind.TUPLE : SeqKind.LIST;
                yield new ListV(List.copyOf(out), kind);
            }
            default -> throw EvalError.type("'" + Values.typeName(target) + "' object is not subscriptable");
        };
    }

    private static Long sliceIndex(Value v) {
        if (v == null || v instanceof NoneV) return null;
        Long i = index(v);
        if (i == null) throw EvalError.type("slice indices must be integers or None");
        return i;
    }

    /** The positions a Python slice selects, after Python's clamping of start and stop. */
    static int[] indices(int length, Long start, Long stop, long step) {
        long lo, hi;
        if (step > 0) {
            lo = start == null ? 0 : clamp(start < 0 ? start + length : start, 0, length);
            hi = stop == null ? length : clamp(stop < 0 ? stop + length : stop, 0, length);
            if (hi <= lo) return new int[0];
            int[] out = new int[(int) ((hi - lo + step - 1) / step)];
            for (int k = 0; k < out.length; k++) out[k] = (int) (lo + k * step);
            return out;
        }
        lo = start == null ? length - 1 : clamp(start < 0 ? start + length : start, -1, length - 1);
        hi = stop == null ? -1 : clamp(stop < 0 ? stop + length : stop, -1, length - 1);
        if (lo <= hi) return new int[0];
        int[] out = new int[(int) ((lo - hi + (-step) - 1) / (-step))];
        for (int k = 0; k < out.length; k++) out[k] = (int) (lo + k * step);
        return out;
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }
}

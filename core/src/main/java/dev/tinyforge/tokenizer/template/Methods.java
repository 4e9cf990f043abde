package dev.tinyforge.tokenizer.template;

import dev.tinyforge.tokenizer.template.Value.DictV;
import dev.tinyforge.tokenizer.template.Value.IntV;
import dev.tinyforge.tokenizer.template.Value.ListV;
import dev.tinyforge.tokenizer.template.Value.LoopV;
import dev.tinyforge.tokenizer.template.Value.NoneV;
import dev.tinyforge.tokenizer.template.Value.SeqKind;
import dev.tinyforge.tokenizer.template.Value.StrV;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python methods called from templates: {@code content.startswith('x')}, {@code message.get('k')},
 * {@code d.items()}. Every real Python method name is recognised, so a method we do not implement
 * fails loudly instead of evaluating to undefined; methods that mutate fail as they do in HF's
 * immutable sandbox.
 */
final class Methods {
    private Methods() {}

    private static final Set<String> STR_METHODS = Set.of("capitalize", "casefold", "center", "count", "encode", "endswith",
            "expandtabs", "find", "format", "format_map", "index", "isalnum", "isalpha", "isascii", "isdecimal",
            "isdigit", "isidentifier", "islower", "isnumeric", "isprintable", "isspace", "istitle", "isupper", "join",
            "ljust", "lower", "lstrip", "maketrans", "partition", "removeprefix", "removesuffix", "replace", "rfind",
            "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip",
            "swapcase", "title", "translate", "upper", "zfill");
    private static final Set<String> DICT_METHODS = Set.of("clear", "copy", "fromkeys", "get", "items", "keys", "pop",
            "popitem", "setdefault", "update", "values");
    private static final Set<String> LIST_METHODS = Set.of("append", "clear", "copy", "count", "extend", "index", "insert",
            "pop", "remove", "reverse", "sort");
    private static final Set<String> TUPLE_METHODS = Set.of("count", "index");

    /** Whether {@code name} is a Python method of {@code target}'s type (so {@code .name} is the method). */
    static boolean isMethod(Value target, String name) {
        return switch (target) {
            case StrV s -> STR_METHODS.contains(name);
            case DictV d -> DICT_METHODS.contains(name);
            case ListV l -> switch (l.kind()) {
                case LIST -> LIST_METHODS.contains(name);
                case TUPLE, RANGE -> TUPLE_METHODS.contains(name);
                default -> false;
            };
            default -> false;
        };
    }

    static Value call(Value self, String name, Args args, Budget budget) {
        return switch (self) {
            case StrV s when s.markup() -> Markup.call(s, name, args, budget);
            case StrV s -> string(s.value(), name, args, budget);
            case DictV d -> dict(d, name, args);
            case ListV l -> list(l, name, args);
            case LoopV loop when name.equals("cycle") -> {
                if (args.positional().isEmpty()) throw EvalError.type("no items for cycling given");
                yield args.positional().get(loop.index0 % args.positional().size());
            }
            default -> throw EvalError.type("'" + Values.typeName(self) + "' object has no method '" + name + "'");
        };
    }

    private static Value string(String s, String name, Args args, Budget budget) {
        String what = "str." + name + "()";
        return switch (name) {
            case "startswith", "endswith" -> {
                Value[] a = args.bind(what, 1, "prefix", "start", "end");
                String part = window(s, a[1], a[2]);
                List<Value> options = a[0] instanceof ListV l && l.kind() == SeqKind.TUPLE ? l.items() : List.of(a[0]);
                boolean match = false;
                for (Value option : options) {
                    String p = text(option, what);
                    match |= name.equals("startswith") ? part.startsWith(p) : part.endsWith(p);
                }
                yield Value.BoolV.of(match);
            }
            case "strip", "lstrip", "rstrip" -> {
                Value[] a = args.bind(what, 0, "chars");
                String chars = a[0] == null || a[0] instanceof NoneV ? null : text(a[0], what);
                yield new StrV(PyStrings.strip(s, chars, !name.equals("rstrip"), !name.equals("lstrip")));
            }
            case "split", "rsplit" -> {
                Value[] a = args.bind(what, 0, "sep", "maxsplit");
                String sep = a[0] == null || a[0] instanceof NoneV ? null : text(a[0], what);
                int max = a[1] == null ? -1 : (int) Math.max(-1, Math.min(Integer.MAX_VALUE, integer(a[1], what)));
                List<String> parts = name.equals("split") ? PyStrings.split(s, sep, max) : PyStrings.rsplit(s, sep, max);
                budget.items(parts.size());
                yield strings(parts);
            }
            case "splitlines" -> {
                Value[] a = args.bind(what, 0, "keepends");
                if (a[0] != null && Values.truthy(a[0])) throw EvalError.unsupported("str.splitlines(keepends=True) is not supported");
                yield strings(PyStrings.splitLines(s));
            }
            case "replace" -> {
                Value[] a = args.bind(what, 2, "old", "new", "count");
                long count = a[2] == null ? -1 : integer(a[2], what);
                yield new StrV(replace(s, text(a[0], what), text(a[1], what), count, budget));
            }
            case "upper" -> noArgs(args, what, new StrV(PyStrings.upper(s)));
            case "lower" -> noArgs(args, what, new StrV(PyStrings.lower(s)));
            case "title" -> noArgs(args, what, new StrV(PyStrings.title(s)));
            case "capitalize" -> noArgs(args, what, new StrV(PyStrings.capitalize(s)));
            case "find", "rfind", "index", "rindex", "count" -> {
                Value[] a = args.bind(what, 1, "sub", "start", "end");
                yield search(s, name, text(a[0], what), a[1], a[2]);
            }
            case "join" -> {
                Value[] a = args.bind(what, 1, "iterable");
                StringBuilder sb = new StringBuilder();
                List<Value> items = Values.iterate(a[0]);
                for (int i = 0; i < items.size(); i++) {
                    if (!(items.get(i) instanceof StrV item)) {
                        throw EvalError.type("sequence item " + i + ": expected str instance, "
                                + Values.typeName(items.get(i)) + " found");
                    }
                    if (i > 0) sb.append(s);
                    sb.append(item.value());
                    budget.chars(sb.length());
                }
                yield new StrV(sb.toString());
            }
            case "removeprefix" -> {
                String p = text(args.bind(what, 1, "prefix")[0], what);
                yield new StrV(s.startsWith(p) ? s.substring(p.length()) : s);
            }
            case "removesuffix" -> {
                String p = text(args.bind(what, 1, "suffix")[0], what);
                yield new StrV(!p.isEmpty() && s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s);
            }
            case "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper" -> noArgs(args, what, predicate(s, name));
            default -> throw EvalError.unsupported(what + " is not supported by this chat template renderer");
        };
    }

    private static Value predicate(String s, String name) {
        if (name.equals("islower") || name.equals("isupper")) {
            boolean cased = false;
            for (int cp : s.codePoints().toArray()) {
                if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
                    if (name.equals("islower")) return Value.FALSE;
                    cased = true;
                } else if (Character.isLowerCase(cp)) {
                    if (name.equals("isupper")) return Value.FALSE;
                    cased = true;
                }
            }
            return Value.BoolV.of(cased);
        }
        if (s.isEmpty()) return Value.FALSE;
        return Value.BoolV.of(s.codePoints().allMatch(cp -> switch (name) {
            case "isdigit" -> Character.isDigit(cp);
            case "isalpha" -> Character.isLetter(cp);
            case "isalnum" -> Character.isLetterOrDigit(cp);
            default -> PyStrings.isSpace(cp);
        }));
    }

    /** {@code s[start:end]} by code points, for the optional start/end arguments. */
    private static String window(String s, Value start, Value end) {
        if (start == null && end == null) return s;
        return ((StrV) Access.slice(new StrV(s), start, end, null)).value();
    }

    private static Value search(String s, String name, String sub, Value start, Value end) {
        String part = window(s, start, end);
        int offset = 0;
        if (start != null && !(start instanceof NoneV)) {
            int n = PyStrings.length(s);
            long st = integer(start, "str." + name + "()");
            offset = (int) Math.max(0, Math.min(n, st < 0 ? st + n : st));
        }
        if (name.equals("count")) {
            if (sub.isEmpty()) return new IntV(PyStrings.length(part) + 1);
            int count = 0;
            for (int at = part.indexOf(sub); at >= 0; at = part.indexOf(sub, at + sub.length())) count++;
            return new IntV(count);
        }
        int at = name.startsWith("r") ? part.lastIndexOf(sub) : part.indexOf(sub);
        if (at < 0) {
            if (name.endsWith("index")) throw EvalError.type("substring not found");
            return new IntV(-1);
        }
        return new IntV(offset + part.codePointCount(0, at));
    }

    /** Python's {@code str.replace}, including the empty-pattern case (insert between code points). */
    static String replace(String s, String old, String replacement, long count, Budget budget) {
        long limit = count < 0 ? Long.MAX_VALUE : count;
        List<Integer> cuts = new ArrayList<>();
        if (old.isEmpty()) {
            for (int i = 0; cuts.size() < limit; i += Character.charCount(s.codePointAt(i))) {
                cuts.add(i);
                if (i >= s.length()) break;
            }
        } else {
            for (int at = s.indexOf(old); at >= 0 && cuts.size() < limit; at = s.indexOf(old, at + old.length())) {
                cuts.add(at);
            }
        }
        budget.chars(s.length() + (long) cuts.size() * (replacement.length() - old.length()));
        StringBuilder sb = new StringBuilder();
        int from = 0;
        for (int cut : cuts) {
            sb.append(s, from, cut).append(replacement);
            from = cut + old.length();
        }
        return sb.append(s.substring(from)).toString();
    }

    private static Value dict(DictV d, String name, Args args) {
        String what = "dict." + name + "()";
        return switch (name) {
            case "items" -> {
                List<Value> pairs = new ArrayList<>(d.entries().size());
                for (Map.Entry<Value, Value> e : d.entries().entrySet()) pairs.add(ListV.tuple(e.getKey(), e.getValue()));
                yield noArgs(args, what, new ListV(List.copyOf(pairs), SeqKind.DICT_ITEMS));
            }
            case "keys" -> noArgs(args, what, new ListV(List.copyOf(d.entries().keySet()), SeqKind.DICT_KEYS));
            case "values" -> noArgs(args, what, new ListV(List.copyOf(d.entries().values()), SeqKind.DICT_VALUES));
            case "get" -> {
                Value[] a = args.bind(what, 1, "key", "default");
                Value v = Access.dictGet(d, a[0]);
                yield v != null ? v : a[1] != null ? a[1] : Value.NONE;
            }
            case "copy" -> noArgs(args, what, d);
            case "fromkeys" -> throw EvalError.unsupported(what + " is not supported by this chat template renderer");
            default -> throw EvalError.unsupported(what + " would modify the dict, which HF's sandbox forbids");
        };
    }

    private static Value list(ListV l, String name, Args args) {
        String what = Values.typeName(l) + "." + name + "()";
        return switch (name) {
            case "count" -> {
                Value x = args.bind(what, 1, "value")[0];
                yield new IntV(l.items().stream().filter(v -> Values.equal(v, x)).count());
            }
            case "index" -> {
                Value x = args.bind(what, 1, "value")[0];
                for (int i = 0; i < l.items().size(); i++) if (Values.equal(l.items().get(i), x)) yield new IntV(i);
                throw EvalError.type(Values.repr(x) + " is not in list");
            }
            case "copy" -> noArgs(args, what, new ListV(l.items(), SeqKind.LIST));
            default -> throw EvalError.unsupported(what + " would modify the list, which HF's sandbox forbids");
        };
    }

    private static Value noArgs(Args args, String what, Value result) {
        args.bind(what, 0);
        return result;
    }

    static String text(Value v, String what) {
        if (v instanceof StrV s) return s.value();
        throw EvalError.type(what + ": expected a string, got " + Values.typeName(v));
    }

    static long integer(Value v, String what) {
        if (v instanceof Value.BoolV || v instanceof IntV) return (Long) Values.number(v);
        throw EvalError.type(what + ": expected an integer, got " + Values.typeName(v));
    }

    static ListV strings(List<String> parts) {
        List<Value> out = new ArrayList<>(parts.size());
        for (String p : parts) out.add(new StrV(p));
        return ListV.of(out);
    }
}

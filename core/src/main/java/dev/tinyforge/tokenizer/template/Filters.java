package dev.tinyforge.tokenizer.template;

import dev.tinyforge.tokenizer.template.Value.DictV;
import dev.tinyforge.tokenizer.template.Value.FloatV;
import dev.tinyforge.tokenizer.template.Value.IntV;
import dev.tinyforge.tokenizer.template.Value.IteratorV;
import dev.tinyforge.tokenizer.template.Value.ListV;
import dev.tinyforge.tokenizer.template.Value.NoneV;
import dev.tinyforge.tokenizer.template.Value.SeqKind;
import dev.tinyforge.tokenizer.template.Value.StrV;
import dev.tinyforge.tokenizer.template.Value.UndefinedV;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Jinja's built-in filters as HF renders them ({@code tojson} is HF's override). Filters that Jinja
 * implements as generators ({@code select}, {@code map}, {@code unique} ...) return a one-shot
 * {@link IteratorV}, so truthiness and re-iteration behave as in Python. Real Jinja filters that this
 * renderer does not implement fail when reached, naming the filter.
 */
final class Filters {
    private Filters() {}

    /** Every filter name Jinja (with HF's environment) knows; the supported ones are in {@link #apply}. */
    static final Set<String> NAMES = Set.of("abs", "attr", "batch", "capitalize", "center", "count", "d", "default",
            "dictsort", "e", "escape", "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent",
            "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "pprint", "random", "reject",
            "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string",
            "striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper", "urlencode", "urlize",
            "wordcount", "wordwrap", "xmlattr");

    static Value apply(String name, Value v, Args args, Budget budget) {
        String what = "filter '" + name + "'";
        return switch (name) {
            case "safe" -> none(args, what, v instanceof StrV s && s.markup() ? s : Markup.of(Values.str(v)));
            case "string" -> none(args, what, softStr(v));
            case "length", "count" -> none(args, what, new IntV(Values.length(v)));
            case "upper" -> none(args, what, Methods.call(softStr(v), "upper", Args.EMPTY, budget));
            case "lower" -> none(args, what, Methods.call(softStr(v), "lower", Args.EMPTY, budget));
            case "title" -> none(args, what, new StrV(PyStrings.jinjaTitle(Values.str(v))));
            case "capitalize" -> none(args, what, Methods.call(softStr(v), "capitalize", Args.EMPTY, budget));
            case "trim" -> {
                Value chars = args.bind(what, 0, "chars")[0];
                yield Methods.call(softStr(v), "strip", chars == null ? Args.EMPTY : Args.of(chars), budget);
            }
            case "replace" -> {
                Value[] a = args.bind(what, 2, "old", "new", "count");
                long count = a[2] == null || a[2] instanceof NoneV ? -1 : Methods.integer(a[2], what);
                yield new StrV(Methods.replace(Values.str(v), Values.str(a[0]), Values.str(a[1]), count, budget));
            }
            case "default", "d" -> {
                Value[] a = args.bind(what, 0, "default_value", "boolean");
                Value fallback = a[0] == null ? StrV.EMPTY : a[0];
                boolean useFalsy = a[1] != null && Values.truthy(a[1]);
                yield v instanceof UndefinedV || (useFalsy && !Values.truthy(v)) ? fallback : v;
            }
            case "first" -> {
                args.bind(what, 0);
                List<Value> items = Values.iterate(v);
                if (v instanceof IteratorV it && !items.isEmpty()) it.position -= items.size() - 1; // next() takes one
                yield items.isEmpty() ? new UndefinedV("no first item, sequence was empty") : items.getFirst();
            }
            case "last" -> {
                args.bind(what, 0);
                if (v instanceof IteratorV it) throw EvalError.type("'" + it.typeName + "' object is not reversible");
                List<Value> items = Values.iterate(v);
                yield items.isEmpty() ? new UndefinedV("no last item, sequence was empty") : items.getLast();
            }
            case "list" -> none(args, what, list(v, budget));
            case "items" -> {
                args.bind(what, 0);
                if (v instanceof UndefinedV) yield new IteratorV(List.of(), "generator");
                if (!(v instanceof DictV d)) throw EvalError.type("can only get item pairs from a mapping");
                yield new IteratorV(((ListV) Methods.call(d, "items", Args.EMPTY, budget)).items(), "generator");
            }
            case "join" -> join(v, args, what, budget);
            case "tojson" -> tojson(v, args, what, budget);
            case "int" -> toInt(v, args, what);
            case "float" -> toFloat(v, args, what);
            case "abs" -> {
                args.bind(what, 0);
                yield switch (Values.number(v)) {
                    case Long l when l != Long.MIN_VALUE -> new IntV(Math.abs(l));
                    case Double d -> new FloatV(Math.abs(d));
                    case null -> throw EvalError.type("bad operand type for abs(): '" + Values.typeName(v) + "'");
                    default -> throw EvalError.unsupported("integer overflow in abs()");
                };
            }
            case "round" -> round(v, args, what);
            case "indent" -> indent(v, args, what, budget);
            case "center" -> {
                Value w = args.bind(what, 0, "width")[0];
                long width = w == null ? 80 : Methods.integer(w, what);
                StrV str = softStr(v);
                String s = str.value();
                int len = PyStrings.length(s);
                if (width <= len) yield str;
                budget.chars(width);
                long pad = width - len;
                long left = pad / 2 + (pad & width & 1); // CPython's centring rule
                yield new StrV(" ".repeat((int) left) + s + " ".repeat((int) (pad - left)), str.markup());
            }
            case "escape", "e" -> none(args, what, Markup.escape(v));
            case "forceescape" -> none(args, what, Markup.of(Markup.escapeHtml(Values.str(v))));
            case "reverse" -> {
                args.bind(what, 0);
                if (v instanceof StrV s) yield Access.slice(s, null, null, new IntV(-1));
                List<Value> items = new ArrayList<>(Values.iterate(v)).reversed();
                yield v instanceof IteratorV ? ListV.of(items) : new IteratorV(items, "reverseiterator");
            }
            case "sort" -> {
                Value[] a = args.bind(what, 0, "reverse", "case_sensitive", "attribute");
                yield ListV.of(sorted(Values.iterate(v), a[0] != null && Values.truthy(a[0]),
                        a[1] != null && Values.truthy(a[1]), a[2]));
            }
            case "dictsort" -> dictsort(v, args, what, budget);
            case "unique" -> {
                Value[] a = args.bind(what, 0, "case_sensitive", "attribute");
                boolean caseSensitive = a[0] != null && Values.truthy(a[0]);
                List<Value> out = new ArrayList<>(), seen = new ArrayList<>();
                for (Value item : Values.iterate(v)) {
                    Value key = sortKey(item, caseSensitive, a[1]);
                    Access.requireHashable(key); // Python keeps a set of seen keys
                    if (seen.stream().noneMatch(k -> Values.equal(k, key))) {
                        seen.add(key);
                        out.add(item);
                    }
                }
                yield new IteratorV(out, "generator");
            }
            case "min", "max" -> {
                Value[] a = args.bind(what, 0, "case_sensitive", "attribute");
                List<Value> items = Values.iterate(v);
                if (items.isEmpty()) yield new UndefinedV("no aggregated item, sequence was empty");
                Comparator<Value> order = Comparator.comparing(
                        x -> sortKey(x, a[0] != null && Values.truthy(a[0]), a[1]), (x, y) -> Values.compare(x, y, "<"));
                yield name.equals("min") ? items.stream().min(order).orElseThrow() : maxFirst(items, order);
            }
            case "sum" -> {
                Value[] a = args.bind(what, 0, "attribute", "start");
                Value total = a[1] == null ? new IntV(0) : a[1];
                for (Value item : Values.iterate(v)) {
                    total = Operators.binary("+", total, a[0] == null ? item : attributePath(item, a[0]), budget);
                }
                yield total;
            }
            case "map" -> map(v, args, budget);
            case "select", "reject" -> select(v, args, name.equals("select"), false, budget);
            case "selectattr", "rejectattr" -> select(v, args, name.equals("selectattr"), true, budget);
            case "attr" -> {
                String attribute = Methods.text(args.bind(what, 1, "name")[0], what);
                if (v instanceof DictV d && !Methods.isMethod(d, attribute)) {
                    yield new UndefinedV("'dict object' has no attribute '" + attribute + "'");
                }
                yield Access.attribute(v, attribute);
            }
            case "wordcount" -> none(args, what, new IntV(
                    java.util.regex.Pattern.compile("(?U)\\w+").matcher(Values.str(v)).results().count()));
            case "random" -> throw EvalError.unsupported("filter 'random' is not supported: prompts must be deterministic");
            default -> {
                if (NAMES.contains(name)) {
                    throw EvalError.unsupported("filter '" + name + "' is not supported by this chat template renderer");
                }
                throw EvalError.type("no filter named '" + name + "'");
            }
        };
    }

    /** Jinja's soft_str: str() of a non-string, but a string (Markup included) as it is. */
    private static StrV softStr(Value v) {
        return v instanceof StrV s ? s : new StrV(Values.str(v));
    }

    private static Value none(Args args, String what, Value result) {
        args.bind(what, 0);
        return result;
    }

    private static Value list(Value v, Budget budget) {
        List<Value> items = Values.iterate(v);
        budget.items(items.size());
        return new ListV(List.copyOf(items), SeqKind.LIST);
    }

    /** Python's max() keeps the first of equal maxima; Stream.max keeps the last. */
    private static Value maxFirst(List<Value> items, Comparator<Value> order) {
        Value best = items.getFirst();
        for (Value item : items) if (order.compare(item, best) > 0) best = item;
        return best;
    }

    private static Value join(Value v, Args args, String what, Budget budget) {
        Value[] a = args.bind(what, 0, "d", "attribute");
        String sep = a[0] == null ? "" : Values.str(a[0]);
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (Value item : Values.iterate(v)) {
            if (!first) sb.append(sep);
            first = false;
            sb.append(Values.str(a[1] == null ? item : attributePath(item, a[1])));
            budget.chars(sb.length());
        }
        return new StrV(sb.toString());
    }

    private static Value tojson(Value v, Args args, String what, Budget budget) {
        Value[] a = args.bind(what, 0, "indent", "ensure_ascii", "separators", "sort_keys");
        String indent = null;
        if (a[0] instanceof StrV s) indent = s.value();
        else if (a[0] != null && !(a[0] instanceof NoneV)) {
            long n = Methods.integer(a[0], what);
            budget.chars(n);
            indent = " ".repeat((int) Math.max(0, n));
        }
        String itemSep = null, keySep = null;
        if (a[2] != null && !(a[2] instanceof NoneV)) {
            List<Value> seps = Values.iterate(a[2]);
            if (seps.size() != 2) throw EvalError.type(what + ": separators must be a pair (item, key)");
            itemSep = Methods.text(seps.get(0), what);
            keySep = Methods.text(seps.get(1), what);
        }
        Json.Options options = Json.Options.of(indent, itemSep, keySep, a[3] != null && Values.truthy(a[3]),
                a[1] != null && Values.truthy(a[1]));
        String json = Json.dumps(v, options, budget.limits.maxStringChars());
        budget.chars(json.length());
        return new StrV(json);
    }

    /** Jinja's int filter: int(x), else int(float(x)) so "42.5" gives 42, else the default. */
    private static Value toInt(Value v, Args args, String what) {
        Value[] a = args.bind(what, 0, "default", "base");
        Value fallback = a[0] == null ? new IntV(0) : a[0];
        int base = a[1] == null ? 10 : (int) Methods.integer(a[1], what);
        if (v instanceof UndefinedV u) throw EvalError.undefined(u.hint());
        if (Values.number(v) instanceof Long l) return new IntV(l);
        if (v instanceof StrV s) {
            Long parsed = parseInt(s.value(), base);
            if (parsed != null) return new IntV(parsed);
        }
        Double d = v instanceof FloatV f ? Double.valueOf(f.value()) : v instanceof StrV s ? parseFloat(s.value()) : null;
        if (d == null || d.isNaN() || d.isInfinite() || Math.abs(d) >= 0x1p63) return fallback;
        return new IntV((long) (double) d);
    }

    private static Value toFloat(Value v, Args args, String what) {
        Value[] a = args.bind(what, 0, "default");
        Value fallback = a[0] == null ? new FloatV(0.0) : a[0];
        if (v instanceof UndefinedV u) throw EvalError.undefined(u.hint());
        if (Values.number(v) instanceof Number n) return new FloatV(n.doubleValue());
        Double d = v instanceof StrV s ? parseFloat(s.value()) : null;
        return d == null ? fallback : new FloatV(d);
    }

    /** Python's {@code int(str, base)}: whitespace around, a sign, underscores between digits, 0x/0o/0b prefixes. */
    private static Long parseInt(String text, int base) {
        String s = PyStrings.strip(text, null, true, true);
        boolean negative = s.startsWith("-");
        if (s.startsWith("-") || s.startsWith("+")) s = s.substring(1);
        if (base == 0 || base == 16 || base == 8 || base == 2) {
            String lower = PyStrings.lower(s);
            int prefixBase = lower.startsWith("0x") ? 16 : lower.startsWith("0o") ? 8 : lower.startsWith("0b") ? 2 : 0;
            if (prefixBase != 0 && (base == 0 || base == prefixBase)) {
                s = s.substring(2);
                if (s.startsWith("_")) s = s.substring(1);
                base = prefixBase;
            } else if (base == 0) {
                base = 10;
            }
        }
        if (s.isEmpty() || s.startsWith("_") || s.endsWith("_") || s.contains("__")) return null;
        try {
            long value = Long.parseLong(s.replace("_", ""), base);
            return negative ? -value : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final java.util.regex.Pattern FLOAT_TEXT = java.util.regex.Pattern.compile(
            "(?:\\d(?:_?\\d)*(?:\\.(?:\\d(?:_?\\d)*)?)?|\\.\\d(?:_?\\d)*)(?:e[+-]?\\d(?:_?\\d)*)?");

    /** Python's {@code float(str)}: decimal or exponent notation, inf/nan words, surrounding whitespace. */
    private static Double parseFloat(String text) {
        String s = PyStrings.lower(PyStrings.strip(text, null, true, true));
        String body = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        double sign = s.startsWith("-") ? -1 : 1;
        if (body.equals("inf") || body.equals("infinity")) return sign * Double.POSITIVE_INFINITY;
        if (body.equals("nan")) return Double.NaN;
        if (!FLOAT_TEXT.matcher(body).matches()) return null;
        return sign * Double.parseDouble(body.replace("_", ""));
    }

    /** Jinja's round: Python's round() (half to even on the exact binary value), or ceil/floor. */
    private static Value round(Value v, Args args, String what) {
        Value[] a = args.bind(what, 0, "precision", "method");
        int precision = a[0] == null ? 0 : (int) Methods.integer(a[0], what);
        String method = a[1] == null ? "common" : Methods.text(a[1], what);
        Number n = Values.number(v);
        if (n == null) throw EvalError.type("type " + Values.typeName(v) + " doesn't define __round__ method");
        if (method.equals("common")) {
            if (n instanceof Long l && precision >= 0) return new IntV(l);
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) return new FloatV(d);
            return new FloatV(new BigDecimal(d).setScale(precision, RoundingMode.HALF_EVEN).doubleValue());
        }
        if (!method.equals("ceil") && !method.equals("floor")) {
            throw EvalError.type("method must be 'common', 'ceil' or 'floor'");
        }
        double scale = Math.pow(10, precision);
        double scaled = n.doubleValue() * scale;
        return new FloatV((method.equals("ceil") ? Math.ceil(scaled) : Math.floor(scaled)) / scale);
    }

    /** Jinja's indent(width=4, first=False, blank=False), including its appended-newline quirk. */
    private static Value indent(Value v, Args args, String what, Budget budget) {
        Value[] a = args.bind(what, 0, "width", "first", "blank");
        String pad;
        if (a[0] instanceof StrV s) pad = s.value();
        else {
            long width = a[0] == null ? 4 : Methods.integer(a[0], what);
            budget.chars(width);
            pad = " ".repeat((int) Math.max(0, width));
        }
        boolean first = a[1] != null && Values.truthy(a[1]);
        boolean blank = a[2] != null && Values.truthy(a[2]);
        // Jinja appends "\n" to the input without converting it to a string first.
        if (v instanceof UndefinedV u) throw EvalError.undefined(u.hint());
        if (!(v instanceof StrV text)) {
            throw EvalError.type("unsupported operand type(s) for +=: '" + Values.typeName(v) + "' and 'str'");
        }
        List<String> lines = PyStrings.splitLines(text.value() + "\n");
        budget.chars(text.value().length() + (long) lines.size() * (pad.length() + 1));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i > 0) sb.append('\n');
            if (i > 0 && (blank || !line.isEmpty())) sb.append(pad);
            sb.append(line);
        }
        return new StrV(first ? pad + sb : sb.toString(), text.markup()); // Markup in, Markup out
    }

    private static Value dictsort(Value v, Args args, String what, Budget budget) {
        Value[] a = args.bind(what, 0, "case_sensitive", "by", "reverse");
        if (!(v instanceof DictV d)) throw EvalError.type("you can only sort by either a mapping, got " + Values.typeName(v));
        boolean caseSensitive = a[0] != null && Values.truthy(a[0]);
        String by = a[1] == null ? "key" : Methods.text(a[1], what);
        if (!by.equals("key") && !by.equals("value")) throw EvalError.type("you can only sort by either 'key' or 'value'");
        int pos = by.equals("key") ? 0 : 1;
        List<Value> pairs = new ArrayList<>(((ListV) Methods.call(d, "items", Args.EMPTY, budget)).items());
        Comparator<Value> order = Comparator.comparing(p -> sortKey(((ListV) p).items().get(pos), caseSensitive, null),
                (x, y) -> Values.compare(x, y, "<"));
        pairs.sort(a[2] != null && Values.truthy(a[2]) ? order.reversed() : order);
        return ListV.of(pairs);
    }

    private static List<Value> sorted(List<Value> items, boolean reverse, boolean caseSensitive, Value attribute) {
        List<Value> out = new ArrayList<>(items);
        Comparator<Value> order = Comparator.comparing(x -> sortKey(x, caseSensitive, attribute),
                (x, y) -> Values.compare(x, y, "<"));
        out.sort(reverse ? order.reversed() : order); // List.sort is stable, like Python's sorted()
        return out;
    }

    /** The value a sort compares: the attribute if given, strings lowered unless case-sensitive. */
    private static Value sortKey(Value item, boolean caseSensitive, Value attribute) {
        Value key = attribute == null || attribute instanceof NoneV ? item : attributePath(item, attribute);
        return !caseSensitive && key instanceof StrV s ? new StrV(PyStrings.lower(s.value())) : key;
    }

    /** Jinja's attribute paths for filters: "a.b.0" looks up a, then b, then item 0. */
    static Value attributePath(Value item, Value attribute) {
        if (attribute instanceof IntV) return Access.item(item, attribute);
        Value current = item;
        for (String part : Methods.text(attribute, "attribute").split("\\.", -1)) {
            Value key = part.matches("\\d+") ? new IntV(Long.parseLong(part)) : new StrV(part);
            current = Access.item(current, key);
        }
        return current;
    }

    private static Value map(Value v, Args args, Budget budget) {
        List<Value> out = new ArrayList<>();
        if (!Values.truthy(v)) return new IteratorV(out, "generator"); // Jinja: "if value:" before iterating
        if (args.positional().isEmpty() && args.named().containsKey("attribute")) {
            Value[] a = args.bind("filter 'map'", 1, "attribute", "default");
            for (Value item : Values.iterate(v)) {
                Value x = attributePath(item, a[0]);
                out.add(x instanceof UndefinedV && a[1] != null ? a[1] : x);
            }
        } else {
            if (args.positional().isEmpty()) throw EvalError.type("map requires a filter argument");
            String filter = Methods.text(args.positional().getFirst(), "filter 'map'");
            Args rest = new Args(args.positional().subList(1, args.positional().size()), args.named());
            for (Value item : Values.iterate(v)) out.add(apply(filter, item, rest, budget));
        }
        return new IteratorV(out, "generator");
    }

    /** select/reject (by test on the item) and selectattr/rejectattr (by test on an attribute). */
    private static Value select(Value v, Args args, boolean keep, boolean onAttribute, Budget budget) {
        List<Value> positional = args.positional();
        int at = 0;
        Value attribute = null;
        if (onAttribute) {
            if (positional.isEmpty()) throw EvalError.type("missing parameter for attribute name");
            attribute = positional.get(at++);
        }
        String test = at < positional.size() ? Methods.text(positional.get(at++), "test name") : null;
        Args testArgs = new Args(positional.subList(at, positional.size()), args.named());
        List<Value> out = new ArrayList<>();
        if (!Values.truthy(v)) return new IteratorV(out, "generator"); // Jinja: "if seq:" before iterating
        for (Value item : Values.iterate(v)) {
            Value subject = onAttribute ? attributePath(item, attribute) : item;
            boolean pass = test == null ? Values.truthy(subject) : Tests.apply(test, subject, testArgs, budget);
            if (pass == keep) out.add(item);
        }
        return new IteratorV(out, "generator");
    }
}

package dev.tinyforge.tokenizer.template;

import dev.tinyforge.tokenizer.template.Value.BoolV;
import dev.tinyforge.tokenizer.template.Value.DictV;
import dev.tinyforge.tokenizer.template.Value.FloatV;
import dev.tinyforge.tokenizer.template.Value.IntV;
import dev.tinyforge.tokenizer.template.Value.ListV;
import dev.tinyforge.tokenizer.template.Value.NoneV;
import dev.tinyforge.tokenizer.template.Value.SeqKind;
import dev.tinyforge.tokenizer.template.Value.StrV;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code tojson} filter as HF transformers defines it: Python's {@code json.dumps(x,
 * ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)}. Unlike Jinja's own
 * tojson it neither escapes HTML characters nor sorts keys, and the spacing is Python's: {@code ", "}
 * and {@code ": "} on one line, {@code ","} plus newline and indent when indenting.
 */
final class Json {
    /** {@code indent == null}: one line. {@code itemSep}/{@code keySep}: Python's separators. */
    record Options(String indent, String itemSep, String keySep, boolean sortKeys, boolean ensureAscii) {
        static Options of(String indent, String itemSep, String keySep, boolean sortKeys, boolean ensureAscii) {
            String items = itemSep != null ? itemSep : indent == null ? ", " : ",";
            return new Options(indent, items, keySep != null ? keySep : ": ", sortKeys, ensureAscii);
        }
    }

    private final Options options;
    private final int maxChars;
    private final StringBuilder out = new StringBuilder();

    private Json(Options options, int maxChars) {
        this.options = options;
        this.maxChars = maxChars;
    }

    static String dumps(Value v, Options options, int maxChars) {
        Json json = new Json(options, maxChars);
        json.write(v, 0);
        return json.out.toString();
    }

    private void write(Value v, int level) {
        if (level > 200) throw EvalError.limit("tojson: value nests deeper than 200 levels");
        switch (v) {
            case NoneV n -> append("null");
            case BoolV b -> append(b.value() ? "true" : "false");
            case IntV i -> append(Long.toString(i.value()));
            case FloatV f -> append(number(f.value()));
            case StrV s -> string(s.value());
            case ListV l when l.kind() == SeqKind.LIST || l.kind() == SeqKind.TUPLE -> array(l.items(), level);
            case DictV d -> object(d.entries(), level);
            default -> throw EvalError.type("Object of type " + Values.typeName(v) + " is not JSON serializable");
        }
    }

    private static String number(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        return PyFloats.repr(d);
    }

    private void array(List<Value> items, int level) {
        if (items.isEmpty()) {
            append("[]");
            return;
        }
        append("[");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) append(options.itemSep());
            newline(level + 1);
            write(items.get(i), level + 1);
        }
        newline(level);
        append("]");
    }

    private void object(Map<Value, Value> entries, int level) {
        if (entries.isEmpty()) {
            append("{}");
            return;
        }
        List<Map.Entry<Value, Value>> list = new ArrayList<>(entries.entrySet());
        if (options.sortKeys()) list.sort((a, b) -> Values.compare(a.getKey(), b.getKey(), "<"));
        append("{");
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) append(options.itemSep());
            newline(level + 1);
            string(key(list.get(i).getKey()));
            append(options.keySep());
            write(list.get(i).getValue(), level + 1);
        }
        newline(level);
        append("}");
    }

    /** JSON object keys: Python's json converts int, float, bool and None keys to strings. */
    private static String key(Value k) {
        return switch (k) {
            case StrV s -> s.value();
            case BoolV b -> b.value() ? "true" : "false";
            case NoneV n -> "null";
            case IntV i -> Long.toString(i.value());
            case FloatV f -> number(f.value());
            default -> throw EvalError.type("keys must be str, int, float, bool or None, not " + Values.typeName(k));
        };
    }

    private void newline(int level) {
        if (options.indent() == null) return;
        append("\n");
        for (int i = 0; i < level; i++) append(options.indent());
    }

    private void string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (options.ensureAscii() && c > 0x7E)) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        append(sb.append('"'));
    }

    private void append(CharSequence s) {
        if (out.length() + s.length() > maxChars) {
            throw EvalError.limit("tojson output longer than " + maxChars + " characters");
        }
        out.append(s);
    }
}

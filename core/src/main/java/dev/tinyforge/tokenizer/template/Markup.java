package dev.tinyforge.tokenizer.template;

import dev.tinyforge.tokenizer.template.Value.ListV;
import dev.tinyforge.tokenizer.template.Value.StrV;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What markupsafe's {@code Markup} changes, with autoescape off as in HF: {@code |safe} and {@code |escape}
 * return Markup; {@code Markup + str} escapes the str; most str methods called on a Markup escape their
 * string arguments and return Markup. Concatenation with {@code ~}, the join and replace filters and
 * output are unaffected (Jinja converts to plain str there).
 */
final class Markup {
    private Markup() {}

    /** Methods markupsafe wraps: string arguments are escaped and the result is Markup again. */
    static final Set<String> ESCAPING_METHODS = Set.of("capitalize", "title", "lower", "upper", "replace", "lstrip",
            "rstrip", "center", "strip", "swapcase", "zfill", "ljust", "rjust", "expandtabs", "translate");

    /** Methods that return lists of Markup. */
    static final Set<String> SPLITTING_METHODS = Set.of("split", "rsplit", "splitlines");

    static StrV of(String s) {
        return new StrV(s, true);
    }

    /** {@code markupsafe.escape}: HTML-escapes plain text; Markup stays as it is. */
    static StrV escape(Value v) {
        if (v instanceof StrV s && s.markup()) return s;
        return of(escapeHtml(Values.str(v)));
    }

    static String escapeHtml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '\'' -> sb.append("&#39;");
                case '"' -> sb.append("&#34;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code a + b} where at least one side is Markup: the plain side is escaped first. */
    static StrV add(StrV a, StrV b, Budget budget) {
        String x = escape(a).value(), y = escape(b).value();
        budget.chars((long) x.length() + y.length());
        return of(x + y);
    }

    /** A str method called on Markup: escape string arguments, call the plain method, re-mark the result. */
    static Value call(StrV self, String name, Args args, Budget budget) {
        StrV plain = new StrV(self.value());
        if (ESCAPING_METHODS.contains(name)) {
            Value result = Methods.call(plain, name, escapeArgs(args), budget);
            return result instanceof StrV s ? of(s.value()) : result;
        }
        if (name.equals("join")) {
            List<Value> escaped = new ArrayList<>();
            for (Value item : Values.iterate(args.bind("Markup.join()", 1, "iterable")[0])) escaped.add(escape(item));
            return of(((StrV) Methods.call(plain, "join", Args.of(ListV.of(escaped)), budget)).value());
        }
        Value result = Methods.call(plain, name, args, budget);
        if (SPLITTING_METHODS.contains(name) && result instanceof ListV l) {
            List<Value> parts = new ArrayList<>();
            for (Value part : l.items()) parts.add(of(((StrV) part).value()));
            return ListV.of(parts);
        }
        return result;
    }

    private static Args escapeArgs(Args args) {
        List<Value> positional = new ArrayList<>();
        for (Value v : args.positional()) positional.add(v instanceof StrV ? escape(v) : v);
        var named = new java.util.LinkedHashMap<String, Value>();
        args.named().forEach((k, v) -> named.put(k, v instanceof StrV ? escape(v) : v));
        return new Args(positional, named);
    }
}

package dev.tinyforge.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small interpreter of Go's text/template, enough of it to run the Ollama templates TinyForge
 * writes the way Ollama would: text, {@code if / else if / else / end}, {@code range $i, $x := ...},
 * variable declaration ({@code :=}) and assignment ({@code =}) with Go's scoping, fields
 * ({@code .Role}, {@code $.Messages}, {@code $m.Role}), string and integer literals, parentheses and
 * the functions {@code eq ne and or not len slice}. Anything else is an error, so a template that
 * uses more than this fails its test instead of rendering wrongly. Test code only.
 */
final class GoTemplateRenderer {
    private sealed interface Node permits Text, Print, If, Range, SetVar {}

    private record Text(String text) implements Node {}

    private record Print(List<String> expr) implements Node {}

    private record If(List<List<String>> conditions, List<List<Node>> bodies, List<Node> otherwise) implements Node {}

    private record Range(String key, String value, List<String> expr, List<Node> body) implements Node {}

    private record SetVar(String name, boolean declare, List<String> expr) implements Node {}

    private final List<Node> body;
    private int at;

    private GoTemplateRenderer(String source) {
        List<Object> pieces = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = source.indexOf("{{", from);
            if (open < 0) {
                pieces.add(source.substring(from));
                break;
            }
            pieces.add(source.substring(from, open));
            int close = closing(source, open + 2);
            pieces.add(tokens(source.substring(open + 2, close).strip()));
            from = close + 2;
        }
        this.pieces = pieces;
        this.body = parse(Mode.END_OF_INPUT);
    }

    private final List<Object> pieces;

    private enum Mode { END_OF_INPUT, BLOCK }

    /** The end of an action, skipping "}}" inside string literals. */
    private static int closing(String s, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (c == '\\' && quoted) i++;
            else if (!quoted && c == '}' && s.charAt(i + 1) == '}') return i;
        }
        throw new IllegalArgumentException("unclosed action");
    }

    static String render(String template, Map<String, Object> data) {
        GoTemplateRenderer t = new GoTemplateRenderer(template);
        StringBuilder out = new StringBuilder();
        Scope root = new Scope(null);
        root.vars.put("$", data);
        t.run(t.body, data, root, out);
        return out.toString();
    }

    // ---- parsing ------------------------------------------------------------------------------

    private List<Node> parse(Mode mode) {
        List<Node> nodes = new ArrayList<>();
        while (at < pieces.size()) {
            Object p = pieces.get(at);
            if (p instanceof String text) {
                at++;
                if (!text.isEmpty()) nodes.add(new Text(text));
                continue;
            }
            @SuppressWarnings("unchecked")
            List<String> tokens = (List<String>) p;
            String first = tokens.getFirst();
            if (first.equals("end") || first.equals("else")) {
                if (mode != Mode.BLOCK) throw new IllegalArgumentException("unexpected " + first);
                return nodes;
            }
            at++;
            switch (first) {
                case "if" -> nodes.add(parseIf(tokens.subList(1, tokens.size())));
                case "range" -> {
                    // range $k, $v := expr
                    if (tokens.size() < 6 || !tokens.get(2).equals(",") || !tokens.get(4).equals(":=")) {
                        throw new IllegalArgumentException("unsupported range: " + tokens);
                    }
                    List<Node> inner = parse(Mode.BLOCK);
                    expect("end");
                    nodes.add(new Range(tokens.get(1), tokens.get(3), tokens.subList(5, tokens.size()), inner));
                }
                default -> {
                    if (first.startsWith("$") && tokens.size() > 2 && (tokens.get(1).equals(":=") || tokens.get(1).equals("="))) {
                        nodes.add(new SetVar(first, tokens.get(1).equals(":="), tokens.subList(2, tokens.size())));
                    } else {
                        nodes.add(new Print(tokens));
                    }
                }
            }
        }
        if (mode == Mode.BLOCK) throw new IllegalArgumentException("missing end");
        return nodes;
    }

    private Node parseIf(List<String> condition) {
        List<List<String>> conditions = new ArrayList<>(List.of(condition));
        List<List<Node>> bodies = new ArrayList<>();
        List<Node> otherwise = List.of();
        bodies.add(parse(Mode.BLOCK));
        while (true) {
            @SuppressWarnings("unchecked")
            List<String> tokens = (List<String>) pieces.get(at++);
            if (tokens.getFirst().equals("end")) break;
            if (tokens.size() > 1 && tokens.get(1).equals("if")) {
                conditions.add(tokens.subList(2, tokens.size()));
                bodies.add(parse(Mode.BLOCK));
            } else {
                otherwise = parse(Mode.BLOCK);
                expect("end");
                break;
            }
        }
        return new If(conditions, bodies, otherwise);
    }

    private void expect(String keyword) {
        @SuppressWarnings("unchecked")
        List<String> tokens = (List<String>) pieces.get(at++);
        if (!tokens.equals(List.of(keyword))) throw new IllegalArgumentException("expected " + keyword + ", got " + tokens);
    }

    private static List<String> tokens(String action) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < action.length()) {
            char c = action.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                StringBuilder s = new StringBuilder("\"");
                i++;
                while (action.charAt(i) != '"') {
                    if (action.charAt(i) == '\\') i++;
                    s.append(action.charAt(i++));
                }
                i++;
                out.add(s.toString());
            } else if (c == '(' || c == ')' || c == ',') {
                out.add(String.valueOf(c));
                i++;
            } else if (action.startsWith(":=", i)) {
                out.add(":=");
                i += 2;
            } else {
                int j = i;
                while (j < action.length() && !Character.isWhitespace(action.charAt(j)) && "(),\"".indexOf(action.charAt(j)) < 0
                        && !action.startsWith(":=", j)) {
                    j++;
                }
                out.add(action.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    // ---- running ------------------------------------------------------------------------------

    private static final class Scope {
        final Scope parent;
        final Map<String, Object> vars = new HashMap<>();

        Scope(Scope parent) {
            this.parent = parent;
        }

        Object get(String name) {
            for (Scope s = this; s != null; s = s.parent) if (s.vars.containsKey(name)) return s.vars.get(name);
            throw new IllegalArgumentException("undefined variable " + name);
        }

        void assign(String name, Object value) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.vars.containsKey(name)) {
                    s.vars.put(name, value);
                    return;
                }
            }
            throw new IllegalArgumentException("assignment to undefined variable " + name);
        }
    }

    private void run(List<Node> nodes, Object dot, Scope scope, StringBuilder out) {
        for (Node n : nodes) {
            switch (n) {
                case Text t -> out.append(t.text());
                case Print p -> out.append(show(eval(p.expr(), dot, scope)));
                case SetVar s -> {
                    Object value = eval(s.expr(), dot, scope);
                    if (s.declare()) scope.vars.put(s.name(), value);
                    else scope.assign(s.name(), value);
                }
                case If f -> {
                    boolean done = false;
                    for (int i = 0; i < f.conditions().size() && !done; i++) {
                        if (truthy(eval(f.conditions().get(i), dot, scope))) {
                            run(f.bodies().get(i), dot, new Scope(scope), out);
                            done = true;
                        }
                    }
                    if (!done) run(f.otherwise(), dot, new Scope(scope), out);
                }
                case Range r -> {
                    List<?> items = (List<?>) eval(r.expr(), dot, scope);
                    for (int i = 0; i < items.size(); i++) {
                        Scope inner = new Scope(scope);
                        inner.vars.put(r.key(), (long) i);
                        inner.vars.put(r.value(), items.get(i));
                        run(r.body(), items.get(i), inner, out);
                    }
                }
            }
        }
    }

    private Object eval(List<String> tokens, Object dot, Scope scope) {
        int[] pos = {0};
        Object value = command(tokens, pos, dot, scope, tokens.size());
        if (pos[0] != tokens.size()) throw new IllegalArgumentException("trailing tokens in " + tokens);
        return value;
    }

    /** A function call with its arguments, or a single operand. */
    private Object command(List<String> tokens, int[] pos, Object dot, Scope scope, int end) {
        String first = tokens.get(pos[0]);
        if (List.of("eq", "ne", "and", "or", "not", "len", "slice").contains(first)) {
            pos[0]++;
            List<Object> args = new ArrayList<>();
            while (pos[0] < end && !tokens.get(pos[0]).equals(")")) args.add(operand(tokens, pos, dot, scope));
            return call(first, args);
        }
        return operand(tokens, pos, dot, scope);
    }

    private Object operand(List<String> tokens, int[] pos, Object dot, Scope scope) {
        String t = tokens.get(pos[0]++);
        if (t.equals("(")) {
            int close = pos[0], depth = 1;
            while (depth > 0) {
                String x = tokens.get(close++);
                if (x.equals("(")) depth++;
                if (x.equals(")")) depth--;
            }
            Object v = command(tokens, pos, dot, scope, close - 1);
            if (!tokens.get(pos[0]++).equals(")")) throw new IllegalArgumentException("unbalanced parentheses");
            return v;
        }
        if (t.startsWith("\"")) return t.substring(1);
        if (t.matches("-?\\d+")) return Long.parseLong(t);
        if (t.equals("true") || t.equals("false")) return Boolean.parseBoolean(t);
        if (t.equals(".")) return dot;
        if (t.startsWith(".")) return field(dot, t.substring(1));
        if (t.startsWith("$")) {
            int dotAt = t.indexOf('.');
            Object base = scope.get(dotAt < 0 ? t : t.substring(0, dotAt));
            return dotAt < 0 ? base : field(base, t.substring(dotAt + 1));
        }
        throw new IllegalArgumentException("unsupported operand " + t);
    }

    private static Object field(Object base, String path) {
        Object v = base;
        for (String name : path.split("\\.")) {
            if (!(v instanceof Map<?, ?> map) || !map.containsKey(name)) throw new IllegalArgumentException("no field " + name);
            v = map.get(name);
        }
        return v;
    }

    private static Object call(String name, List<Object> a) {
        return switch (name) {
            case "eq" -> a.get(0).equals(a.get(1));
            case "ne" -> !a.get(0).equals(a.get(1));
            case "and" -> {
                Object last = null;
                for (Object x : a) {
                    last = x;
                    if (!truthy(x)) break;
                }
                yield last;
            }
            case "or" -> {
                Object last = null;
                for (Object x : a) {
                    last = x;
                    if (truthy(x)) break;
                }
                yield last;
            }
            case "not" -> !truthy(a.getFirst());
            case "len" -> a.getFirst() instanceof List<?> l ? (long) l.size() : (long) ((String) a.getFirst()).length();
            case "slice" -> ((List<?>) a.get(0)).subList((int) (long) (Long) a.get(1), ((List<?>) a.get(0)).size());
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case String s -> !s.isEmpty();
            case Long n -> n != 0;
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            default -> true;
        };
    }

    private static String show(Object v) {
        return v == null ? "<no value>" : v.toString();
    }
}

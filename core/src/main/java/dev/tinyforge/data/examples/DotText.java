package dev.tinyforge.data.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a digraph in the one canonical layout the dot dataset teaches:
 *
 * <pre>
 * digraph name {
 *   rankdir=LR;              graph attributes first
 *   node [shape=box];        then node defaults
 *   done [shape=doublecircle];   then nodes with attributes
 *   a -> b [label="go"];     then edges, one per line, in the order they were described
 * }
 * </pre>
 *
 * Names are written bare when they are plain identifiers and not keywords, otherwise quoted;
 * labels are always quoted.
 */
final class DotText {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> KEYWORDS = Set.of("node", "edge", "graph", "digraph", "subgraph", "strict");

    private final String name;
    private final List<String> graphAttributes = new ArrayList<>();
    private final List<String> nodeDefaults = new ArrayList<>();
    private final List<String> nodes = new ArrayList<>();
    private final List<String> edges = new ArrayList<>();

    DotText(String name) {
        this.name = name;
    }

    DotText graph(String key, String value) {
        graphAttributes.add(key + "=" + value + ";");
        return this;
    }

    DotText nodeDefault(String key, String value) {
        nodeDefaults.add("node [" + key + "=" + value + "];");
        return this;
    }

    DotText node(String node, String key, String value) {
        nodes.add(id(node) + " [" + key + "=" + value + "];");
        return this;
    }

    DotText edge(String from, String to) {
        edges.add(id(from) + " -> " + id(to) + ";");
        return this;
    }

    DotText edge(String from, String to, String label) {
        edges.add(id(from) + " -> " + id(to) + " [label=" + quote(label) + "];");
        return this;
    }

    static String id(String name) {
        return PLAIN.matcher(name).matches() && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT)) ? name : quote(name);
    }

    static String quote(String text) {
        return '"' + text.replace("\"", "\\\"") + '"';
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("digraph ").append(id(name)).append(" {\n");
        for (List<String> block : List.of(graphAttributes, nodeDefaults, nodes, edges)) {
            for (String statement : block) sb.append("  ").append(statement).append('\n');
        }
        return sb.append("}").toString();
    }
}

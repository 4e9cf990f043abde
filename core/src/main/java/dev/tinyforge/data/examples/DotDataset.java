package dev.tinyforge.data.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.data.RecordFormat;
import dev.tinyforge.data.examples.DotVocabulary.FanOut;
import dev.tinyforge.data.examples.DotVocabulary.Machine;
import dev.tinyforge.data.examples.DotVocabulary.Pipeline;
import dev.tinyforge.data.examples.DotVocabulary.Role;
import dev.tinyforge.data.examples.DotVocabulary.Transition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A description of a graph to a Graphviz digraph in the layout {@link DotText} defines. Everything in
 * the output is said in the description: the graph is {@code G} unless named, and attributes appear
 * only when asked for (left to right, boxes, a highlighted node, final states). Edges point from
 * a stage to the next, a manager to a report, a module to what it depends on.
 */
public final class DotDataset implements ExampleDataset {
    static final int COUNT = 400;

    private static final List<String> GRAPH_NAMES = List.of("flow", "pipeline", "deps", "org", "states", "workflow",
            "build", "system", "overview", "chart", "plan", "my_graph", "arch", "lifecycle", "topology", "team");
    private static final List<String> COLORS = List.of("red", "blue", "green", "orange", "gray");

    /** What the description asks for besides the edges; each is one sentence in the prompt. */
    private record Style(String name, boolean leftToRight, boolean boxes, String highlight, String color) {}

    @Override
    public String name() {
        return "dot";
    }

    @Override
    public String description() {
        return "Turns a plain-English description of a pipeline, fan-out, state machine, org chart or dependency graph into a canonical Graphviz DOT digraph.";
    }

    @Override
    public RecordFormat format() {
        return RecordFormat.PROMPT_COMPLETION;
    }

    @Override
    public List<ObjectNode> generate(long seed) {
        return Records.distinct(seed, COUNT, DotDataset::draw, Records::promptCompletion);
    }

    private static Sample draw(Dice d) {
        return switch (d.between(0, 4)) {
            case 0 -> pipeline(d);
            case 1 -> fanOut(d);
            case 2 -> stateMachine(d);
            case 3 -> orgChart(d);
            default -> dependencies(d);
        };
    }

    private static Sample pipeline(Dice d) {
        Pipeline p = d.pick(DotVocabulary.PIPELINES);
        List<String> s = d.subset(p.stages(), d.between(3, Math.min(6, p.stages().size())));
        String last = s.getLast(), middle = String.join(", then ", s.subList(1, s.size() - 1));
        String body = switch (d.between(0, 5)) {
            case 0 -> "Draw a " + p.kind() + ": " + String.join(", then ", s) + ".";
            case 1 -> Records.capitalize(p.kind()) + " with the stages " + Records.list(s) + ", in that order.";
            case 2 -> "Graph the steps of a " + p.kind() + ": first " + s.getFirst() + ", then " + middle + ", finally " + last + ".";
            case 3 -> "Make a DOT digraph for this flow: " + String.join(" -> ", s) + ".";
            case 4 -> "A linear " + p.kind() + " that goes from " + s.getFirst() + " through "
                    + Records.list(s.subList(1, s.size() - 1)) + " to " + last + ".";
            default -> {
                List<String> feeds = new ArrayList<>();
                for (int i = 0; i + 1 < s.size(); i++) feeds.add(s.get(i) + " into " + s.get(i + 1));
                yield "Step by step: " + Records.list(feeds) + ".";
            }
        };
        List<String[]> edges = new ArrayList<>();
        for (int i = 0; i + 1 < s.size(); i++) edges.add(new String[] {s.get(i), s.get(i + 1)});
        return finish(d, body, s, edges, List.of());
    }

    private static Sample fanOut(Dice d) {
        FanOut f = d.pick(DotVocabulary.FAN_OUTS);
        List<String> w = d.sample(f.workers(), d.between(2, Math.min(5, f.workers().size())));
        String sink = d.chance(0.5) ? f.sink() : null;
        String body = switch (d.between(0, 3)) {
            case 0 -> "In this graph, " + f.source() + " fans out to " + Records.list(w) + "."
                    + (sink == null ? "" : d.pick(" All of them feed into ", " Each of them then sends its results to ") + sink + ".");
            case 1 -> "Show how " + f.source() + " sends work to " + Records.list(w) + (sink == null ? "" : ", which all report to " + sink) + ".";
            case 2 -> "Draw a fan-out from " + f.source() + " to " + Records.list(w) + (sink == null ? "" : " and a fan-in from them to " + sink) + ".";
            default -> "One " + f.source() + " node with an edge to each of " + Records.list(w)
                    + (sink == null ? "" : "; each of those has an edge to " + sink) + ".";
        };
        List<String[]> edges = new ArrayList<>();
        for (String x : w) edges.add(new String[] {f.source(), x});
        if (sink != null) for (String x : w) edges.add(new String[] {x, sink});
        List<String> nodes = new ArrayList<>(w);
        nodes.add(f.source());
        return finish(d, body, nodes, edges, List.of());
    }

    private static Sample stateMachine(Dice d) {
        Machine m = d.pick(DotVocabulary.MACHINES);
        List<Transition> ts = d.subset(m.transitions(), d.between(3, m.transitions().size()));
        List<String> phrases = new ArrayList<>();
        List<String[]> edges = new ArrayList<>();
        LinkedHashSet<String> states = new LinkedHashSet<>();
        for (Transition t : ts) {
            phrases.add(switch (d.between(0, 4)) {
                case 0 -> t.from() + " goes to " + t.to() + " on " + t.event();
                case 1 -> "on " + t.event() + ", " + t.from() + " moves to " + t.to();
                case 2 -> "from " + t.from() + ", '" + t.event() + "' leads to " + t.to();
                case 3 -> "'" + t.event() + "' takes " + t.from() + " to " + t.to();
                default -> t.from() + " -(" + t.event() + ")-> " + t.to();
            });
            edges.add(new String[] {t.from(), t.to(), t.event()});
            states.add(t.from());
            states.add(t.to());
        }
        // Intros end in a colon so the first state keeps its case: the output spells it the same way.
        String intro = d.pick("State machine for " + m.subject() + ": ", "Draw the states of " + m.subject() + ": ",
                "DOT state diagram of " + m.subject() + ": ", "Model " + m.subject() + " as a state machine: ");
        List<String> finals = m.finals().stream().filter(states::contains).toList();
        if (finals.isEmpty() || d.chance(0.4)) finals = List.of();
        String body = intro + String.join("; ", phrases) + ".";
        if (!finals.isEmpty()) {
            body += finals.size() == 1
                    ? d.pick(" " + finals.getFirst() + " is a final state.", " Mark " + finals.getFirst() + " as final.")
                    : " Final states: " + Records.list(finals) + ".";
        }
        return finish(d, body, List.copyOf(states), edges, finals);
    }

    private static Sample orgChart(Dice d) {
        List<String[]> edges = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        List<String> people = new ArrayList<>();
        if (d.chance(0.5)) {
            Role ceo = DotVocabulary.ROLES.getFirst();
            List<String> top = d.subset(ceo.reports(), d.between(2, 4));
            addReports(d, sentences, edges, ceo.title(), top);
            for (Role r : DotVocabulary.ROLES) {
                if (top.contains(r.title()) && d.chance(0.6)) addReports(d, sentences, edges, r.title(), d.subset(r.reports(), d.between(1, 3)));
            }
        } else {
            boolean full = d.chance(0.4);
            List<String> names = d.sample(DotVocabulary.FIRST_NAMES, 10).stream()
                    .map(n -> full ? n + " " + d.pick(DotVocabulary.LAST_NAMES) : n).toList();
            List<String> top = names.subList(1, 1 + d.between(2, 4));
            addReports(d, sentences, edges, names.getFirst(), top);
            int next = 1 + top.size();
            for (String manager : top) {
                if (next < names.size() - 1 && d.chance(0.5)) {
                    int k = d.between(1, Math.min(3, names.size() - next));
                    addReports(d, sentences, edges, manager, names.subList(next, next + k));
                    next += k;
                }
            }
        }
        for (String[] e : edges) people.add(e[1]);
        people.add(edges.getFirst()[0]);
        String intro = d.pick("Org chart: ", "Draw our org chart. ", "Make a reporting-lines diagram. ", "Who reports to whom. ");
        return finish(d, intro + String.join(" ", sentences), people, edges, List.of());
    }

    private static void addReports(Dice d, List<String> sentences, List<String[]> edges, String manager, List<String> reports) {
        for (String r : reports) edges.add(new String[] {manager, r});
        sentences.add(switch (d.between(0, 3)) {
            case 0 -> manager + " manages " + Records.list(reports) + ".";
            case 1 -> Records.list(reports) + (reports.size() == 1 ? " reports" : " report") + " to " + manager + ".";
            case 2 -> "Reporting to " + manager + ": " + Records.list(reports) + ".";
            default -> manager + "'s direct " + (reports.size() == 1 ? "report is " : "reports are ") + Records.list(reports) + ".";
        });
    }

    private static Sample dependencies(Dice d) {
        List<String> modules = d.sample(DotVocabulary.MODULES, d.between(4, 7));
        List<String[]> edges = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i + 1 < modules.size(); i++) {
            List<String> later = modules.subList(i + 1, modules.size());
            List<String> deps = d.subset(later, d.between(1, Math.min(2, later.size())));
            String m = modules.get(i);
            for (String dep : deps) edges.add(new String[] {m, dep});
            sentences.add(deps.size() == 1 && d.chance(0.25)
                    ? deps.getFirst() + " is used by " + m + "."
                    : m + " " + d.pick("depends on ", "imports ", "needs ", "uses ") + Records.list(deps) + ".");
        }
        String intro = d.pick("Dependency graph: ", "Draw the module dependencies. ", "Make a DOT graph of these dependencies. ",
                "Arrows from each module to what it depends on. ");
        return finish(d, intro + String.join(" ", sentences), modules, edges, List.of());
    }

    /** Adds the style sentences in random order and writes the canonical DOT. */
    private static Sample finish(Dice d, String body, List<String> nodes, List<String[]> edges, List<String> finals) {
        List<String> extra = new ArrayList<>();
        String name = d.chance(0.4) ? d.pick(GRAPH_NAMES) : "G";
        if (!name.equals("G")) extra.add(d.pick("Call the graph " + name + ".", "Name it " + name + ".", "Graph name: " + name + "."));
        boolean lr = d.chance(0.3);
        if (lr) extra.add(d.pick("Lay it out left to right.", "Left-to-right layout.", "Make it horizontal (left to right)."));
        boolean boxes = d.chance(0.3);
        if (boxes) extra.add(d.pick("Use boxes for the nodes.", "Draw the nodes as boxes.", "Box-shaped nodes."));
        List<String> candidates = nodes.stream().filter(n -> !finals.contains(n)).toList();
        String highlight = d.chance(0.2) ? d.pick(candidates) : null;
        String color = d.pick(COLORS);
        if (highlight != null) extra.add(d.pick("Highlight " + highlight + " in " + color + ".", "Color " + highlight + " " + color + "."));

        DotText dot = new DotText(name);
        if (lr) dot.graph("rankdir", "LR");
        if (boxes) dot.nodeDefault("shape", "box");
        for (String f : finals) dot.node(f, "shape", "doublecircle");
        if (highlight != null) dot.node(highlight, "color", color);
        for (String[] e : edges) {
            if (e.length == 3) dot.edge(e[0], e[1], e[2]);
            else dot.edge(e[0], e[1]);
        }
        StringBuilder prompt = new StringBuilder(body);
        for (String sentence : d.sample(extra, extra.size())) prompt.append(' ').append(sentence);
        return new Sample(prompt.toString(), dot.toString());
    }
}

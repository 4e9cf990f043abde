package dev.tinyforge.tokenizer.template;

import java.util.List;

/** Statement nodes: the template body is a list of these. */
sealed interface Node {

    /** Literal template text, whitespace control already applied by the lexer. */
    record Text(String text) implements Node {}

    /** {@code {{ expr }}}. */
    record Output(Pos pos, Expr expr) implements Node {}

    /** {@code if / elif ... / else}: the first branch whose condition is true runs. */
    record If(Pos pos, List<Branch> branches, List<Node> orElse) implements Node {}

    record Branch(Expr condition, List<Node> body) {}

    /** {@code for target in iterable [if filter]} with an optional {@code else} (runs when nothing iterated). */
    record For(Pos pos, Target target, Expr iterable, Expr filter, List<Node> body, List<Node> orElse)
            implements Node {}

    /** {@code {% set target = value %}}. */
    record Set(Pos pos, Target target, Expr value) implements Node {}

    /** {@code {% set name %}body{% endset %}}: captures the rendered body as a string. */
    record SetBlock(Pos pos, Target target, List<Node> body) implements Node {}

    /** {@code {% macro name(params) %}body{% endmacro %}}. */
    record Macro(Pos pos, String name, List<Param> params, List<Node> body) implements Node {}

    /** A macro parameter; {@code defaultValue} is null when the parameter has none. */
    record Param(String name, Expr defaultValue) {}

    record Break(Pos pos) implements Node {}

    record Continue(Pos pos) implements Node {}

    /**
     * HF's {@code {% generation %}...{% endgeneration %}} (transformers' AssistantTracker extension):
     * it marks assistant text for loss masks and renders its body unchanged.
     */
    record Generation(Pos pos, List<Node> body) implements Node {}

    /** What a set or for assigns to. */
    sealed interface Target {}

    /** One name, or a tuple of names unpacked from a sequence. */
    record Names(List<String> names, boolean tuple) implements Target {}

    /** {@code ns.attr}: an attribute of a namespace object. */
    record NamespaceAttr(String namespace, String attribute) implements Target {}
}

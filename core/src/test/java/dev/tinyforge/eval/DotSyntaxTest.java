package dev.tinyforge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DotSyntaxTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "digraph {}",
            "graph G { a -- b }",
            "digraph G { a -> b; b -> c; }",
            "strict digraph deps { \"http-client\" -> core [label=\"uses\", color=red]; }",
            "DiGraph G { NODE [shape=box] Edge [color=blue]; GRAPH [rankdir=LR] }",
            "digraph G {\n  rankdir=LR;\n  node [shape=box];\n  done [shape=doublecircle];\n  a -> b -> c [label=\"x\"][style=dashed];\n}",
            "digraph G { a -> {b c}; subgraph cluster_0 { label=\"group\"; x; y } x -> subgraph s { z } }",
            "digraph G { a:p1:ne -> b:sw; c:n -> d }",
            "digraph G { -1.5 -> .5; 2 -> 3.0 }",
            "digraph G { \"a \\\"quoted\\\" name\" -> \"multi\nline\"; \"con\" + \"cat\" -> b }",
            "digraph G { \"long \\\nstring\" }",
            "// comment\n/* block\n comment */\n# 1 \"file.dot\"\ndigraph G { a -> b // trailing\n }",
            "digraph G { a [label=\"x\"; shape=box,] ; b }",
            "digraph \"my graph\" { \"node\" -> \"edge\" }",
            "graph { ölçü -- 名前 }",
    })
    void acceptsWellFormedGraphs(String dot) {
        var result = DotSyntax.check(dot);
        assertTrue(result.valid(), () -> result + "\n" + dot);
    }

    @Test
    void reportsWhatItFound() {
        var valid = assertInstanceOf(DotSyntax.Valid.class,
                DotSyntax.check("strict digraph deps { node [shape=box]; app -> core -> util; \"http-client\" -> core; x [color=red] }"));
        assertTrue(valid.strict());
        assertTrue(valid.directed());
        assertEquals("deps", valid.id());
        assertEquals(Set.of("app", "core", "util", "http-client", "x"), valid.nodes());
        assertEquals(3, valid.edges());
        assertEquals(null, assertInstanceOf(DotSyntax.Valid.class, DotSyntax.check("graph { }")).id());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            ''                                  | 1 | 1  | empty input
            'digraph G { a -> b '               | 1 | 20 | missing '}'
            'digraph G a -> b }'                | 1 | 11 | expected '{'
            'flowchart G { a }'                 | 1 | 1  | expected 'strict', 'graph' or 'digraph'
            'digraph G { a -- b }'              | 1 | 15 | '--' is for undirected graphs
            'graph G { a -> b }'                | 1 | 13 | '->' is for digraphs
            'digraph G { a -> ; }'              | 1 | 18 | expected a node or subgraph after '->'
            'digraph G { a [label] }'           | 1 | 21 | expected '=' after the attribute 'label'
            'digraph G { a [label= }'           | 1 | 23 | expected a value for the attribute 'label'
            'digraph G { a [label=x }'          | 1 | 24 | expected an attribute name or ']'
            'digraph G { node -> b }'           | 1 | 18 | expected '[' after 'node'
            'digraph G { a -> edge }'           | 1 | 18 | the keyword 'edge'
            'digraph G { a -> b } c'            | 1 | 22 | after the graph's closing '}'
            'digraph G { a -> b }}'             | 1 | 21 | after the graph's closing '}'
            'digraph G { 2abc -> b }'           | 1 | 13 | '2abc' is not a valid ID
            'digraph G { 1.2.3 -> b }'          | 1 | 13 | '1.2.3' is not a valid ID
            'digraph G { a -> <b>x</b> }'       | 1 | 18 | HTML strings
            'digraph G { a:b:up -> c }'         | 1 | 17 | 'up' is not a compass point
            'digraph G { a ] }'                 | 1 | 15 | expected a statement
            'digraph G { a = }'                 | 1 | 17 | expected a value after '='
            'digraph G { "a" + b }'             | 1 | 19 | expected a quoted string after '+'
            'digraph G { a @ b }'               | 1 | 15 | unexpected character '@'
            'digraph G { a - b }'               | 1 | 15 | expected a number
            'strict { a }'                      | 1 | 8  | expected 'graph' or 'digraph'
            'digraph G { subgraph { a }'        | 1 | 27 | missing '}'
            'digraph G { a [color=red '         | 1 | 26 | missing ']'
            'digraph G { a; ; }'                | 1 | 16 | expected a statement
            """)
    void rejectsMalformedGraphsWithPosition(String dot, int line, int column, String message) {
        var invalid = assertInstanceOf(DotSyntax.Invalid.class, DotSyntax.check(dot), dot);
        assertTrue(invalid.message().contains(message), () -> invalid + " should mention: " + message);
        assertEquals(line, invalid.line(), invalid::toString);
        assertEquals(column, invalid.column(), invalid::toString);
    }

    @Test
    void positionsCountLinesAndColumns() {
        var invalid = assertInstanceOf(DotSyntax.Invalid.class,
                DotSyntax.check("digraph G {\n  a -> b;\n  c -> \"unterminated;\n}\n"));
        assertEquals(3, invalid.line());
        assertEquals(8, invalid.column());
        assertTrue(invalid.toString().startsWith("line 3, column 8: unterminated string"), invalid.toString());

        var comment = assertInstanceOf(DotSyntax.Invalid.class, DotSyntax.check("digraph G {\n  a /* never closed\n}"));
        assertEquals(2, comment.line());
        assertEquals(5, comment.column());
        assertTrue(comment.message().contains("unterminated comment"), comment.toString());

        var hash = assertInstanceOf(DotSyntax.Invalid.class, DotSyntax.check("digraph G {\n  a # not a preprocessor line\n}"));
        assertEquals(2, hash.line());
        assertEquals(5, hash.column());
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String dot = "digraph G { " + "{ ".repeat(100_000) + "}".repeat(100_000) + " }";
        var invalid = assertInstanceOf(DotSyntax.Invalid.class, DotSyntax.check(dot));
        assertTrue(invalid.message().contains("nested deeper"), invalid.toString());
    }
}

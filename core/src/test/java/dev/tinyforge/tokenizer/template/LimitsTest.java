package dev.tinyforge.tokenizer.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Hostile templates fail fast with a LIMIT error instead of hanging, overflowing the stack or the heap. */
class LimitsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `{{ range(1000000000)|length }}`                                                         | range of 1000000000 items exceeds
            `{{ 'x' * 1000000000 }}`                                                                 | a string of 1000000000 characters exceeds
            `{{ ([1] * 10000000)|length }}`                                                          | a list of 10000000 items exceeds
            `{{ [1]|tojson(indent=2000000000) }}`                                                    | a string of 2000000000 characters exceeds
            `{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}`       | more than 5000000 steps
            `{% set ns = namespace(s='x') %}{% for i in range(100) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}` | characters exceeds the limit
            `{% set ns = namespace(s='x' * 1000000) %}{% for i in range(100000) %}{% set ns.t = ns.s ~ 'y' %}{% endfor %}` | characters in total
            `{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}`                                | macro calls nest deeper than 32
            `{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}`                              | rendered text is longer than the limit
            """)
    void hostileRendersHitALimit(String template, String reason) {
        TemplateException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(TemplateException.class, () -> ChatTemplate.parse(template).render(Map.of())));
        assertEquals(TemplateException.Kind.LIMIT, e.kind(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
    }

    @ParameterizedTest(name = "{0} levels")
    @CsvSource({"100", "10000", "200000"})
    void deepNestingIsRefusedByTheParser(int depth) {
        for (String template : new String[] {"{{ " + "(".repeat(depth) + "1" + ")".repeat(depth) + " }}",
                "{{ " + "not ".repeat(depth) + "1 }}", "{{ " + "[".repeat(depth) + "]".repeat(depth) + " }}",
                "{% if true %}".repeat(depth) + "{% endif %}".repeat(depth), "{{ " + "- ".repeat(depth) + "1 }}",
                "{{ 1" + " if 1 else 1".repeat(depth) + " }}"}) {
            TemplateException e = assertThrows(TemplateException.class, () -> ChatTemplate.parse(template));
            assertEquals(TemplateException.Kind.LIMIT, e.kind(), e.getMessage());
        }
    }

    @Test
    void oversizedSourcesAreRefused() {
        TemplateException e = assertThrows(TemplateException.class, () -> ChatTemplate.parse("x".repeat((1 << 20) + 1)));
        assertEquals(TemplateException.Kind.LIMIT, e.kind());
    }

    @Test
    void limitsCanBeTightened() {
        TemplateLimits tight = new TemplateLimits(1000, 10, 2, 100, 50, 10, 1000, 20);
        ChatTemplate t = ChatTemplate.parse("{% for m in messages %}{{ m.content }}{% endfor %}", "t", tight);
        assertEquals("ab", t.render(Map.of("messages", java.util.List.of(Map.of("content", "a"), Map.of("content", "b")))));
        TemplateException e = assertThrows(TemplateException.class,
                () -> t.render(Map.of("messages", java.util.List.of(Map.of("content", "x".repeat(21))))));
        assertTrue(e.reason().contains("longer than the limit of 20"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TemplateLimits(0, 1, 1, 1, 1, 1, 1, 1));
    }
}

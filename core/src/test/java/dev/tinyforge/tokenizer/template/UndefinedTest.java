package dev.tinyforge.tokenizer.template;

import static dev.tinyforge.tokenizer.template.Render.error;
import static dev.tinyforge.tokenizer.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jinja's default Undefined: falsy, prints empty, iterates empty, compares unequal to values; but
 * reading an attribute or item of it, calling it, or using it in arithmetic raises (as in HF).
 */
class UndefinedTest {
    @Test
    void isQuietWhereJinjaIsQuiet() {
        assertEquals("|False|True|0|[]|ab|False|True|TrueTrue|",
                render("{{ missing }}|{{ missing is defined }}|{{ not missing }}|{{ missing|length }}|{{ missing|list }}"
                        + "|a{% for x in missing %}x{% endfor %}b|{{ missing == none }}|{{ missing == other_missing }}"
                        + "|{{ missing is sequence }}{{ missing is iterable }}|{{ missing|trim }}"));
    }

    @Test
    void missingKeysAndAttributesAreUndefined() {
        assertEquals("FalseFalseFalse|",
                render("{{ d.nope is defined }}{{ d['nope'] is defined }}{{ 'abc'.nope is defined }}|{{ msgs[0].tool_calls }}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{{ foo.bar }}", "{{ foo['bar'] }}", "{{ foo.bar is defined }}", "{{ foo() }}",
            "{{ 'a' + foo }}", "{{ foo < 1 }}", "{{ foo|int }}", "{{ -foo }}"})
    void raisesWhereJinjaRaises(String template) {
        TemplateException e = error(template);
        assertEquals(TemplateException.Kind.UNDEFINED, e.kind(), e.getMessage());
        assertEquals("'foo' is undefined", e.reason());
    }

    @Test
    void undefinedIsNotJsonSerializable() {
        TemplateException e = error("{{ foo|tojson }}");
        assertEquals(TemplateException.Kind.RUNTIME, e.kind());
        assertEquals("Object of type Undefined is not JSON serializable", e.reason());
    }
}

package dev.tinyforge.tokenizer.template;

import static dev.tinyforge.tokenizer.template.Render.error;
import static dev.tinyforge.tokenizer.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.tokenizer.template.TemplateException.Kind;
import dev.tinyforge.util.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad or unsupported templates fail loudly: kind, line, column and the construct are in the message. */
class ErrorTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `{{ 1 + }}`                               | SYNTAX      | 1 | 8  | unexpected end of print statement '}}'
            `a\\n  {{ foo( }}`                       | SYNTAX      | 2 | 11 | unexpected '}'
            `{% if x %}a`                             | SYNTAX      | 1 | 12 | the 'if' tag at line 1 was never closed
            `{% endif %}`                             | SYNTAX      | 1 | 4  | unknown or unexpected tag 'endif'
            `{% for x in l %}{% endif %}`             | SYNTAX      | 1 | 20 | inside 'for' from line 1, expected 'else' or 'endfor'
            `{% break %}`                             | SYNTAX      | 1 | 4  | 'break' outside of a for loop
            `{{ 'abc }}`                              | SYNTAX      | 1 | 4  | unterminated string literal
            `{# never closed`                         | SYNTAX      | 1 | 1  | missing end of comment tag
            `{% frobnicate %}`                        | SYNTAX      | 1 | 4  | unknown or unexpected tag 'frobnicate'
            `{{ a b }}`                               | SYNTAX      | 1 | 6  | expected '}}'
            `{% set 1 = 2 %}`                         | SYNTAX      | 1 | 8  | can only assign to names
            `{% macro m(a=1, b) %}{% endmacro %}`     | SYNTAX      | 1 | 17 | non-default argument follows default argument
            `\\n\\n  {% include 'x.jinja' %}`          | UNSUPPORTED | 3 | 6  | the '{% include %}' tag is not supported
            `{% for x in l recursive %}{% endfor %}`  | UNSUPPORTED | 1 | 15 | recursive for loops are not supported
            `{{ f(*args) }}`                          | UNSUPPORTED | 1 | 6  | *args and **kwargs in calls are not supported
            `{{ "\\N{BULLET}" }}`                     | UNSUPPORTED | 1 | 5  | named unicode escapes
            """)
    void rejectsAtParseTime(String template, Kind kind, int line, int column, String reason) {
        TemplateException e = assertThrows(TemplateException.class, () -> ChatTemplate.parse(template.replace("\\n", "\n")));
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
        assertTrue(e.getMessage().startsWith("chat template: line " + line + ", column " + column + ": "), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `{{ 'a' + 1 }}`                  | RUNTIME     | 8  | can only concatenate str (not "int") to str
            `{{ 1 / 0 }}`                    | RUNTIME     | 6  | division by zero
            `{{ x|nonexistent }}`            | RUNTIME     | 6  | no filter named 'nonexistent'
            `{{ 3 is frob }}`                | RUNTIME     | 6  | no test named 'frob'
            `{% for x in none %}{% endfor %}`| RUNTIME     | 4  | 'NoneType' object is not iterable
            `{% set a, b = [1] %}`           | RUNTIME     | 4  | not enough values to unpack (expected 2, got 1)
            `{% set ns = 3 %}{% set ns.x = 1 %}` | RUNTIME | 20 | cannot assign attribute on non-namespace object
            `{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}` | RUNTIME | 34 | macro 'm' takes not more than 1 argument(s)
            `{{ l.append(4) }}`              | UNSUPPORTED | 6  | list.append() would modify the list, which HF's sandbox forbids
            `{{ 'x'.zfill(3) }}`             | UNSUPPORTED | 8  | str.zfill() is not supported
            `{{ d.items }}`                  | UNSUPPORTED | 4  | cannot print method 'items' of a dict
            `{{ d.__class__ }}`              | UNSUPPORTED | 5  | access to attribute '__class__'
            `{{ l|groupby('x') }}`           | UNSUPPORTED | 6  | filter 'groupby' is not supported
            `{{ l|random }}`                 | UNSUPPORTED | 6  | prompts must be deterministic
            `{{ '%s' % 1 }}`                 | UNSUPPORTED | 9  | printf-style string formatting
            `{{ 2 ** 100 }}`                 | UNSUPPORTED | 6  | integer overflow
            `{{ range(3) }}`                 | UNSUPPORTED | 4  | cannot print a range object
            `{{ l|select('odd') }}`          | UNSUPPORTED | 4  | cannot print a generator object
            """)
    void rejectsAtRenderTimeWithThePosition(String template, Kind kind, int column, String reason) {
        TemplateException e = error(template);
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(1, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
    }

    @Test
    void unsupportedFiltersOnlyFailWhenReached() {
        assertEquals("ok", render("{% if false %}{{ l|groupby('x') }}{{ l|nonexistent }}{% endif %}ok"));
    }

    @Test
    void raiseExceptionCarriesTheTemplatesMessageOnOneLine() {
        TemplateException e = error("{% if true %}\n  {{ raise_exception('Roles must alternate\\nuser/assistant') }}{% endif %}");
        assertEquals(Kind.RAISED, e.kind());
        assertEquals("Roles must alternate\nuser/assistant", e.reason());
        assertEquals("chat template: line 2, column 6: Roles must alternate\\nuser/assistant", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e instanceof BadInputException, "the CLI maps template errors to exit code 2");
    }

    @Test
    void namedTemplatesPutTheirNameFirst() {
        TemplateException e = assertThrows(TemplateException.class, () -> ChatTemplate.parse("{{ x", "models/t.jinja"));
        assertEquals("models/t.jinja: line 1, column 5: unexpected end of template, expected '}}'", e.getMessage());
    }
}

package dev.tinyforge.tokenizer.template;

import static dev.tinyforge.tokenizer.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Literals, operators and precedence, printing of values as Python's str() does. */
class ExpressionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # literals and Python's str()/repr()
            `{{ 1, 2 }}{{ (1,) }}{{ () }}`                                   | `(1, 2)(1,)()`
            `{{ [1.0, 'a\\'b', "c", none, true, {'k': 1e20}] }}`           | `[1.0, "a'b", 'c', None, True, {'k': 1e+20}]`
            `{{ none }}|{{ true }}|{{ False }}|{{ d }}`                      | `None|True|False|{'a': 1, 'items': 5, 'b': [1, 2]}`
            `{{ 'x' "y" 'z' }}{{ 1_000 + 1 }} {{ 1.5e3 }} {{ 0x1F }}`        | `xyz1001 1500.0 31`
            `{{ "a\\tb\\x41\\u00e9\\q" }}`                                   | `a	bAé\\q`
            `{{ {'a': {'b': 1}} }}{{ [1, 2, 3,] }}{{ {'a': 1,} }}`           | `{'a': {'b': 1}}[1, 2, 3]{'a': 1}`
            `{{ {1: 'a', true: 'b'} }}`                                      | `{1: 'b'}`
            `{{ ["A\\x01\\u2028é'\\"", 'a\\'b', '\\\\'] }}`                  | `['A\\x01\\u2028é\\'"', "a'b", '\\\\']`
            # floats print as Python's repr
            `{{ 3.0 }} {{ 1e-7 }} {{ 123456789012345678.0 }} {{ -0.0 }} {{ 0.1 + 0.2 }} {{ 1e16 }} {{ 1e15 }} {{ 0.0001 }} {{ 0.00001 }}` | `3.0 1e-07 1.2345678901234568e+17 -0.0 0.30000000000000004 1e+16 1000000000000000.0 0.0001 1e-05`
            # arithmetic: / is true division, // and % floor, ** left-associative and looser than unary minus
            `{{ 1/2 }} {{ 7//2 }} {{ -7//2 }} {{ -7 % 3 }} {{ 2**10 }} {{ 2**-1 }} {{ 1.5e300*1e10 }}` | `0.5 3 -4 2 1024 0.5 inf`
            `{{ -2 ** 2 }} {{ 2 ** 3 ** 2 }} {{ 1 + 2 * 3 - 4 / 2 }} {{ 10 // 3 * 3 + 10 % 3 }}`       | `4 64 5.0 10`
            `{{ 2.5 // 1 }} {{ -2.5 % 2 }} {{ 5 / 2.0 }} {{ -7.5 // 2 }} {{ 7.5 % -2 }}`              | `2.0 1.5 2.5 -4.0 -0.5`
            `{{ true + 1 }}|{{ 'ab' * 0 }}|{{ 'ab' * 2 }}|{{ 2 * 'ab' }}|{{ [1] * 3 }}|{{ [1] + [2] }}` | `2||abab|abab|[1, 1, 1]|[1, 2]`
            # ~ converts with str(); + does not
            `{{ 'x' ~ none }}{{ 1 ~ 2.5 }}{{ 'a' ~ undefined_name ~ 'b' }}`  | `xNone12.5ab`
            # comparisons chain; == across int/float/bool; and/or return operands
            `{{ not 1 == 2 }}{{ 1 < 2 < 3 }}{{ 3 > 2 > 1 }}{{ 1 < 2 > 1 }}{{ 'a' < 'b' }}{{ 1 == 1.0 }}{{ true == 1 }}` | `TrueTrueTrueTrueTrueTrueTrue`
            `{{ [1,2] < [1,3] }}{{ (1,2) == [1,2] }}{{ {'a':1} == {'a':1} }}`   | `TrueFalseTrue`
            `{{ e or 'empty' }}|{{ s and 'yes' }}|{{ n or e or 0 }}|{{ 0 and 1 }}` | `empty|yes|0|0`
            # membership
            `{{ 1 in {1:2} }}{{ 'a' in ['a'] }}{{ 'ab' in 'xaby' }}{{ 'a' in d }}{{ 'zz' not in d }}{{ 'x' in undefined_name }}` | `TrueTrueTrueTrueTrueFalse`
            # conditional expressions; without else the result is undefined
            `{{ 1 if true else 2 if false else 3 }}|{{ 'a' if false }}|{{ ('a' if false) is defined }}` | `1||False`
            # attribute and item access, Jinja's getattr/getitem order
            `{{ d.a }}{{ d['b'][0] }}{{ d.b.1 }}{{ d['items'] }}{{ d.get('a') }}{{ d.get('zz') }}{{ d.get('zz', 7) }}` | `11251None7`
            `{{ l[5] }}|{{ l[-1] }}|{{ 'abc'[1] }}|{{ 'abc'[5] is defined }}|{{ n.foo }}|{{ n['x'] }}` | `|3|b|False||`
            `{{ msgs[2].tool_calls[0].function.arguments }}{{ msgs[2]['tool_calls'][0]['function']['name'] }}` | `{'x': 1}f`
            # slices as in Python, strings by code point
            `{{ l[1:] }}{{ l[::-1] }}{{ l[-2:] }}{{ l[:-5] }}{{ l[5:1:-1] }}{{ l[1:5:-1] }}{{ (1,2,3)[::2] }}` | `[2, 3][3, 2, 1][2, 3][][3][](1, 3)`
            `{{ 'hello'[1:-1] }}|{{ s[2:100] }}|{{ u[::-1] }}|{{ u|length }}|{{ u[1] }}` | `ell|llo World|x😀é|3|😀`
            """)
    void evaluatesLikeJinja(String template, String expected) {
        assertEquals(expected.replace("\\t", "\t"), render(template.replace("\\t", "\t"), "u", "é😀x"));
    }
}

package dev.tinyforge.tokenizer.template;

import static dev.tinyforge.tokenizer.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Filters, Python string/dict methods and tests, as HF's Jinja evaluates them. */
class FilterTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # tojson is HF's: json.dumps(ensure_ascii=False), Python spacing, no HTML escaping, keys unsorted
            `{{ d|tojson }}{{ [1,2]|tojson(indent=2) }}`                      | `{"a": 1, "items": 5, "b": [1, 2]}[\\n  1,\\n  2\\n]`
            `{{ {'a': [1, {'b': none}], 'c': 'é"\\n'}|tojson(indent=2) }}`    | `{\\n  "a": [\\n    1,\\n    {\\n      "b": null\\n    }\\n  ],\\n  "c": "é\\\\"\\\\n"\\n}`
            `{{ "<&>'"|tojson }}{{ "\\x1f"|tojson }}{{ "é"|tojson(ensure_ascii=true) }}{{ [1.0, 1e20, 1.5e-7]|tojson }}` | `"<&>'""\\\\u001f""\\\\u00e9"[1.0, 1e+20, 1.5e-07]`
            `{{ {1: 'a', none: 2, 1.5: true}|tojson }}{{ l|tojson(separators=(',', ':')) }}{{ d|tojson(sort_keys=true) }}` | `{"1": "a", "null": 2, "1.5": true}[1,2,3]{"a": 1, "b": [1, 2], "items": 5}`
            `{{ []|tojson(indent=4) }}{{ {}|tojson(indent=4) }}{{ msgs[2].tool_calls[0].function|tojson }}` | `[]{}{"name": "f", "arguments": {"x": 1}}`
            # strings
            `{{ ' a b '|trim }}|{{ 'xxaxx'|trim('x') }}|{{ s|upper }}|{{ s|lower }}|{{ 'hELLO wORLD'|capitalize }}` | `a b|a|HELLO WORLD|hello world|Hello world`
            `{{ 'Hello World-foo bar(baz' | title }}|{{ "they're bill's"|title }}|{{ "they're bill's".title() }}` | `Hello World-Foo Bar(Baz|They're Bill's|They'Re Bill'S`
            `{{ s|replace('o', '0') }}|{{ s|replace('l', 'L', 2) }}|{{ 'abc'|replace('', '-') }}|{{ s|length }}|{{ s|wordcount }}` | `Hell0 W0rld|HeLLo World|-a-b-c-|11|2`
            `{{ 'a\\nb'|indent(2) }}|{{ 'a\\n\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent(2, true, true) }}|{{ 'x'|indent('--', true) }}` | `a\\n  b|  a\\n\\n  b|  a\\n  \\n  b|--x`
            `{{ 'x'|center(5) }}|{{ 'ab'|center(5) }}|{{ "<a href='x'>&</a>"|e }}|{{ 'abc'|reverse }}` | `  x  |  ab |&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;|cba`
            # conversions
            `{{ 1.0|int }}{{ '42'|int }}{{ 'x'|int }}{{ '4.7'|int }}{{ 3|float }}{{ true|int }}{{ ' 42 '|int }}{{ '0x1A'|int(0, 16) }}{{ none|int }}{{ '4e2'|int }}` | `142043.0142260400`
            `{{ none|string }}{{ true|string }}{{ d|string }}{{ 'ab'|list }}{{ d|list }}{{ undefined_name|list }}` | `NoneTrue{'a': 1, 'items': 5, 'b': [1, 2]}['a', 'b']['a', 'items', 'b'][]`
            `{{ 2.5|round }} {{ 3|round }} {{ 2.675|round(2) }} {{ 2.5|round(0, 'ceil') }} {{ -2.5|round }} {{ -3|abs }}` | `2.0 3 2.67 3.0 -2.0 3`
            # sequences
            `{{ [1,2]|first }}{{ []|first }}{{ 'abc'|last }}{{ d|first }}{{ l|length }}{{ d|count }}{{ undefined_name|length }}` | `1ca330`
            `{{ ['a', 'b']|join }}|{{ [1, 2]|join(', ') }}|{{ [{'n': 'x'}, {'n': 'y'}]|join('|', attribute='n') }}` | `ab|1, 2|x|y`
            `{{ ['b','A','a']|sort }}{{ ['b','A','a']|sort(case_sensitive=true) }}{{ [3,1,2]|sort(reverse=true) }}{{ ['b','A','a']|unique|list }}` | `['A', 'a', 'b']['A', 'a', 'b'][3, 2, 1]['b', 'A']`
            `{{ {'b':1,'A':2}|dictsort }}{{ [1,2]|sum }}{{ [{'a':1},{'a':2.5}]|sum(attribute='a') }}{{ [3,1]|max }}{{ ['a','B']|min }}{{ []|max }}` | `[('A', 2), ('b', 1)]33.53a`
            `{{ {'a':1}|items|list }}{{ {'b':1,'a':2}.items()|list }}{{ d.keys() }}{{ d.values()|list }}` | `[('a', 1)][('b', 1), ('a', 2)]dict_keys(['a', 'items', 'b'])[1, 5, [1, 2]]`
            # select / reject / map / selectattr, one-shot like Python generators
            `{{ msgs|selectattr('role', 'equalto', 'user')|list|length }}{{ msgs|rejectattr('tool_calls', 'defined')|map(attribute='role')|list }}{{ msgs|selectattr('tool_calls')|list|length }}` | `1['system', 'user']1`
            `{{ ['a','B']|map('upper')|list }}{{ [1,2,3,4]|select('odd')|list }}{{ [1,2,none]|reject('none')|list }}{{ [1,2,3]|select('gt', 1)|list }}` | `['A', 'B'][1, 3][1, 2][2, 3]`
            `{{ [{'r':'u'},{}]|map(attribute='r', default='z')|list }}{{ [{'r':'u'},{}]|map(attribute='r')|list }}{{ ['x', 'y']|map('replace', 'x', 'z')|list }}` | `['u', 'z']['u', Undefined]['z', 'y']`
            `{% if msgs|selectattr('role', 'equalto', 'nobody') %}generators are truthy{% endif %}` | `generators are truthy`
            `{% set g = msgs|map(attribute='role') %}{{ g|join(',') }}|{{ g|join(',') }}|{{ false|select|list }}` | `system,user,assistant||[]`
            `{{ undefined_name|default('D') }}|{{ ''|default('D') }}|{{ ''|default('D', true) }}|{{ none|default('D') }}|{{ undefined_name|d }}` | `D||D|None|`
            # markupsafe: |safe and |e give Markup, and Markup + str escapes the str
            `{{ ('a'|safe) + '<b>' }}|{{ '<b>' + ('a'|safe) }}|{{ ('a'|safe) ~ '<b>' }}|{{ ['<'|safe, 'x']|join }}|{{ [('x'|safe), 1] }}` | `a&lt;b&gt;|&lt;b&gt;a|a<b>|<x|[Markup('x'), 1]`
            # Python str methods
            `{{ 'a,b,,c'.split(',') }}{{ 'a,b,c'.split(',', 1) }}{{ 'a,b,c'.rsplit(',', 1) }}{{ '  a b '.rsplit() }}{{ ' a b '.split(None, 1) }}{{ ' a  b c '.rsplit(None, 1) }}` | `['a', 'b', '', 'c']['a', 'b,c']['a,b', 'c']['a', 'b']['a', 'b '][' a  b', 'c']`
            `{{ 'abc'.startswith(('x','a')) }}{{ 'abc'.endswith('c') }}{{ 'abc'.startswith('b', 1) }}{{ 'abc'.endswith('b', 0, 2) }}` | `TrueTrueTrueTrue`
            `{{ '\\n\\nx\\n'.strip('\\n') }}|{{ 'xy</think>\\n\\nz'.split('</think>')[-1].lstrip('\\n') }}|{{ ' a '.rstrip() }}|{{ 'Hi'.upper() }}{{ 'Hi'.lower() }}` | `x|z| a|HIhi`
            `{{ 'ab'.find('b') }}{{ 'abc'.find('z') }}{{ 'abab'.rfind('b') }}{{ 'abab'.count('ab') }}|{{ 'aXbX'.replace('X', '-', 1) }}|{{ '-'.join(['a', 'b']) }}` | `1-132|a-bX|a-b`
            # is tests, with Python's type rules
            `{{ x is none }}{{ none is none }}{{ 1 is number }}{{ true is number }}{{ true is integer }}{{ 1.0 is float }}{{ {} is mapping }}{{ 'a' is iterable }}{{ {} is sequence }}{{ 1 is iterable }}` | `FalseTrueTrueTrueFalseTrueTrueTrueTrueFalse`
            `{{ 'a' is lower }}{{ 'A' is upper }}{{ 3 is gt 2 }}{{ 3 is ge(3) }}{{ 'a' is in 'abc' }}{{ none is sameas none }}{{ [] is callable }}{{ range is callable }}` | `TrueTrueTrueTrueTrueTrueFalseTrue`
            `{{ 3 is divisibleby 3 }}{{ 2 is odd }}{{ 4 is even }}{{ none is defined }}{{ foo is undefined }}{{ true is boolean }}{{ 1 is boolean }}{{ true is true }}{{ 1 is true }}{{ 'x' is string }}{{ 2 is not string }}` | `TrueFalseTrueTrueTrueTrueFalseTrueFalseTrueTrue`
            `{{ range(3)|list }}{{ range(1, 10, 3)|list }}{{ range(10, 0, -3)|list }}{{ dict(a=1) }}{{ namespace({'q': 1}).q }}` | `[0, 1, 2][1, 4, 7][10, 7, 4, 1]{'a': 1}1`
            """)
    void filtersMethodsAndTests(String template, String expected) {
        assertEquals(unescape(expected), render(unescape(template)));
    }

    private static String unescape(String s) {
        return s.replace("\\\\", "\u0000").replace("\\n", "\n").replace("\u0000", "\\");
    }
}

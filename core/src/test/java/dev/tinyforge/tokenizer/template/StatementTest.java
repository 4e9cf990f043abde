package dev.tinyforge.tokenizer.template;

import static dev.tinyforge.tokenizer.template.Render.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** if/for/set/macro/namespace semantics, including Jinja's scoping rules and loop variables. */
class StatementTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `{% if true %}yes{% elif n %}no{% else %}else{% endif %}{% if n %}a{% elif l %}b{% endif %}{% if e %}x{% endif %}` | `yesb`
            # loop variables count the items left after the inline filter
            `{% for x in [1,2,3] if x > 1 %}{{ loop.index }}/{{ loop.length }}{{ loop.first }}{{ loop.last }}{{ loop.revindex }},{% else %}none{% endfor %}` | `1/2TrueFalse2,2/2FalseTrue1,`
            `{% for m in msgs %}{{ loop.index0 }}{{ loop.revindex0 }}{{ loop.previtem is defined }}{{ loop.nextitem.role if loop.nextitem is defined else '-' }}{{ loop.cycle('a','b') }}{{ loop.depth }};{% endfor %}` | `02Falseusera1;11Trueassistantb1;20True-a1;`
            `{% for a in [1] %}{% for b in [2, 3] %}{{ loop.index }}{% endfor %}{{ loop.index }}{% endfor %}` | `121`
            `{% for k, v in d|items %}{{ k }}={{ v }};{% endfor %}{% for k, v in {'p': 1}.items() %}{{ k }}{{ v }}{% endfor %}` | `a=1;items=5;b=[1, 2];p1`
            `{% for c in 'ab' %}{{ c }}.{% endfor %}{% for k in d %}{{ k }}{% endfor %}{% for x in undefined_name %}never{% endfor %}` | `a.b.aitemsb`
            # else runs when no iteration reached the end of the body (also after break/continue)
            `{% for x in [] %}a{% else %}none{% endfor %}|{% for x in [1, 2] %}{% continue %}{% else %}E{% endfor %}|{% for x in [1, 2] %}{% if x == 2 %}{% break %}{% endif %}{% else %}E{% endfor %}` | `none|E|`
            `{% for x in l %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 3 %}{% break %}{% endif %}{{ x }}{% endfor %}` | `1`
            # scoping: if shares the scope, each loop iteration has its own
            `{% set x = 1 %}{% if true %}{% set x = 2 %}{% endif %}{{ x }}{% for i in l %}{% set x = i %}{% endfor %}{{ x }}` | `22`
            `{% set x = 5 %}{% for i in [1, 2] %}[{{ x }}]{% set x = i %}{% endfor %}{{ x }}` | `[5][5]5`
            `{% for i in [1] %}{% set ns = namespace(a=1) %}{% endfor %}[{{ ns }}]` | `[]`
            # namespace is how state crosses loop iterations
            `{% set ns = namespace(found=false, n=0) %}{% for m in msgs %}{% if m.role == 'user' %}{% set ns.found = true %}{% endif %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.found }}{{ ns.n }}{{ ns.other is defined }}` | `True3False`
            `{% set ns = namespace() %}{% set ns.index = 0 %}{{ ns }}` | `<Namespace {'index': 0}>`
            # tuple unpacking, block set, reassigning the loop variable, overriding a caller variable
            `{% set a, b = [1, 2] %}{{ a }}{{ b }}{% set c, d = 'xy' %}{{ c }}{{ d }}` | `12xy`
            `{% set x %}inner {{ 1 }}{% endset %}[{{ x }}]` | `[inner 1]`
            `{% for t in [{'function': {'name': 'f'}}] %}{% set t = t.function %}{{ t.name }}{% endfor %}{% set l = l[1:] %}{{ l }}` | `f[2, 3]`
            # macros: defaults (which may use earlier parameters), keyword arguments, missing ones undefined
            `{% macro m(a, b='B') %}[{{ a }}{{ b }}]{% endmacro %}{{ m(1) }}{{ m(1, b=2) }}{{ m(b=3, a=4) }}` | `[1B][12][43]`
            `{% macro m(a, b) %}{{ a }}|{{ b }}|{{ b is defined }}{% endmacro %}{{ m(1) }}` | `1||False`
            `{% macro m(a, b=a) %}{{ b }}{% endmacro %}{{ m(3) }}` | `3`
            `{% macro m() %}{{ x }}{% endmacro %}{% set x = 1 %}{{ m() }}{% set x = 2 %}{{ m() }}` | `12`
            `{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n }}*{{ fact(n - 1) }}{% endif %}{% endmacro %}{{ fact(4) }}` | `4*3*2*1`
            # HF's generation tag renders its body
            `{% generation %}A{{ 1 }}{% endgeneration %}` | `A1`
            # strftime_now reads the (fixed) clock, formatted as Python/glibc do
            `{{ strftime_now('%Y-%m-%d %H:%M:%S %a %A %b %B %d %e %j %p %I %y %-d %-m %U %W %V %u %w %C %G %D %F %T %R %%') }}` | `2025-03-05 12:00:00 Wed Wednesday Mar March 05  5 064 PM 12 25 5 3 09 09 10 3 3 20 2025 03/05/25 2025-03-05 12:00:00 12:00 %`
            `{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%B %d, %Y') }}` | `05 Mar 2025|March 05, 2025`
            """)
    void executesLikeJinja(String template, String expected) {
        assertEquals(expected, render(template));
    }
}

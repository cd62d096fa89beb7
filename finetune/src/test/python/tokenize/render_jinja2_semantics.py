"""Renders small templates that pin down Jinja2 semantics, for ChatTemplateJinja2SemanticsTest.

Each case is a template snippet exercising one feature that real chat templates use (whitespace
control, loop controls and filters, Python string methods, filters, tests, operators, slicing,
printing of Python values, ...). Hugging Face's own renderer
(`transformers.utils.chat_template_utils.render_jinja_template`, the code behind
`apply_chat_template`) renders each one; the output or the exception message goes to
finetune/src/test/resources/tokenize/jinja2-semantics-cases.json.

Run from the repository root in the virtual environment described in render_chat_templates.py:

    /tmp/venv-tok/bin/python finetune/src/test/python/tokenize/render_jinja2_semantics.py
"""

import json
import pathlib

import jinja2
import transformers
from transformers.utils.chat_template_utils import render_jinja_template

OUTPUT = pathlib.Path("finetune/src/test/resources/tokenize/jinja2-semantics-cases.json")

MESSAGES = [
    {"role": "system", "content": "S"},
    {"role": "user", "content": "U1"},
    {"role": "assistant", "content": "A"},
    {"role": "user", "content": "U2"},
]

VARIABLES = {
    "s": " hello world ",
    "m": {"role": "user", "content": "Hi é"},
    "lst": [1, 2, 3],
    "b": True,
    "n": 7,
    "f": 2.5,
    "looks_like_syntax": "{{ s }} {% if %}",
    "word_false": "false",
    "nested": {"a": {"b": "deep"}},
    "bos_token": "<s>",
}

CASES = {
    # Whitespace control: trim_blocks, lstrip_blocks, '-' and '+' markers, comments, raw.
    "a minus strips whitespace on its side of the tag": "a  \n  {%- if true %}\n  x  \n  {%- endif %}  \nb",
    "lstrip_blocks and trim_blocks remove the indentation and newline of block lines":
        "a\n  {% if true %}\n  x\n  {% endif %}\nb",
    "a plus keeps the whitespace that lstrip_blocks and trim_blocks would remove":
        "a\n  {%+ if true %}\n  x\n  {% endif +%}\nb",
    "lstrip_blocks applies at the start of the template": "  {% if true %}x{% endif %}",
    "comments are removed with their whitespace rules": "a {# c #}\nb\n  {# c2 #}\nc {#- c3 -#}   d",
    "expression tags take minus markers but no lstrip": "x{{- ' y ' -}}  \n z|  {{ 'v' }}  \n",
    "raw blocks keep template syntax as text": "{% raw %}\n {{ not evaluated }} {% if %}\n  {% endraw %}\nafter",
    "raw blocks honour minus markers": "{%- raw -%}  keep {{ x }}  {%- endraw -%}  z",
    "loop bodies on their own lines": "{% for m in [1,2,3] %}\n  {{ m }}\n{% endfor %}\n",
    "a minus inside a loop joins the lines": "{% for m in [1,2,3] -%}\n  {{ m }}\n{%- endfor %}",
    "nested minus markers around loops and conditions":
        "{%- for m in messages -%}\n    {%- if loop.first -%}\n        first\n    {%- endif -%}\n    [{{ m.role }}]\n{%- endfor -%}\n",
    "one trailing newline of the template is dropped": "text\n",
    "Windows line ends become newlines": "a\r\nb{% if true %}\r\nc{% endif %}",
    "a literal brace in text stays text": "a { b } {x} {{ '{{' }} {{ '}}' }} {{ '{%' }}",
    "a negative number right after the expression start is not a whitespace marker": "[{{ -7 }}][{{ -n }}]",
    "values that look like template syntax are not rendered again": "{{ looks_like_syntax }}",
    # Statements.
    "block set captures rendered text": "{% set x %}\nblock set {{ 1 }}\n{% endset %}[{{ x }}]",
    "macros with default and keyword arguments":
        "{% macro f(a, b='d') %}<{{ a }}|{{ b }}>{% endmacro %}{{ f(1) }}{{ f(2, b=3) }}",
    "break and continue":
        "{% for i in range(5) %}{% if i == 1 %}{% continue %}{% endif %}{% if i == 3 %}{% break %}{% endif %}{{ i }}{% endfor %}",
    "a loop else runs only when there is nothing to loop over":
        "{% for i in [] %}x{% else %}empty{% endfor %}|{% for i in [1, 2] %}{{ i }}{% else %}E{% endfor %}",
    "a loop filter skips items and loop variables count only the kept ones":
        "{% for x in lst if x != 2 %}{{ x }}{{ loop.index }}{{ loop.last }} {% endfor %}",
    "a loop filter with else":
        "{% for m in messages if m.role == 'nobody' %}{{ m.role }}{% else %}none{% endfor %}",
    "a loop filter over key value pairs":
        "{% for k, v in {'a': 1, 'b': 2} | items if v > 1 %}{{ k }}={{ v }}{% endfor %}",
    "a loop filter sees the enclosing loop":
        "{% for m in messages %}{% for x in [1,2] if x > loop.index %}{{ x }}{% else %}-{% endfor %}{% endfor %}",
    "loop variables": "{% for x in lst %}{{ loop.index0 }}{{ loop.index }}{{ loop.first }}{{ loop.last }}"
        "{{ loop.length }}{{ loop.revindex }}{{ loop.revindex0 }},{% endfor %}",
    "namespace assignments survive the loop":
        "{% set ns = namespace(found=false, n=0) %}{% for x in lst %}{% if x == 2 %}{% set ns.found = true %}"
        "{% endif %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.found }}{{ ns.n }}",
    "a namespace collects a list":
        "{% set ns = namespace(items=[]) %}{% for x in lst %}{% set ns.items = ns.items + [x * 2] %}{% endfor %}{{ ns.items }}",
    "set inside a loop does not leak out": "{% set x = 1 %}{% for i in lst %}{% set x = i %}{% endfor %}{{ x }}",
    "set inside if is visible after it":
        "{% if messages[0].role == 'system' %}{% set sys = messages[0].content %}{% set rest = messages[1:] %}"
        "{% else %}{% set sys = '' %}{% set rest = messages %}{% endif %}[{{ sys }}]{{ rest | length }}",
    "the generation markers of assistant masks render their content": "{% generation %}gen{% endgeneration %}",
    # Python string methods.
    "string methods strip, startswith, endswith, split, title, upper, lower, replace":
        "{{ s.strip() }}|{{ s.startswith(' h') }}|{{ s.endswith('x') }}|{{ s.split() }}|{{ 'ab cd'.title() }}"
        "|{{ s.upper() }}|{{ s.lower() }}|{{ s.replace('h','H') }}",
    "string methods rstrip, lstrip, capitalize, count, find":
        "{{ s.rstrip() }}|{{ s.lstrip() }}|{{ s.capitalize() }}|{{ s.count('h') }}|{{ s.find('h') }}",
    "split with a separator and a limit, strip with characters, startswith with a tuple":
        "{{ 'a,b,,c'.split(',') }}|{{ 'a b'.split(' ', 1) }}|{{ '  x  '.lstrip() }}|{{ 'xxhixx'.strip('x') }}"
        "|{{ 'Hello'.startswith(('He', 'x')) }}",
    "title and capitalize as Python does them":
        "{{ 'hello world'.title() }}|{{ 'HeLLo'.capitalize() }}|{{ \"they're bill's\".title() }}|{{ 'a-b c' | title }}",
    "strings index and slice by character":
        "{{ s[0] }}|{{ s[-1] }}|{{ s[1:3] }}|{{ 'ab🌍'[2] }}|{{ 'ab🌍'[-1] }}|{{ 'abc'[::-1] }}|{{ 'hello'[1:-1] }}",
    "string length counts characters, not UTF-16 units": "{{ 'unicode ✓ 🌍' | length }}|{{ 'héllo'.upper() }}",
    "string literals with Python escapes": "{{ \"\\u00e9\\x41\\t|\\q\" }}|{{ \"a'b\" }}|{{ 'it\\'s' }}|{{ \"q\\\"uote\" }}",
    "percent formatting": "{{ '%s and %d' % ('x', 3) }}|{{ '%s!' % s }}"
        "|{{ '%-5s|%5s|%05d|%.2f|%x|%r' % ('ab', 'cd', 42, 3.14159, 255, 'q') }}|{{ '%(a)s' % {'a': 5} }}",
    "string repetition": "{{ 'x' * 0 }}|{{ lst * 2 }}|{{ 3 * 'ab' }}|{{ '-' * 3 }}",
    # Access.
    "item and attribute access on mappings": "{{ m['content'] }}|{{ m.content }}|{{ m.missing }}|{{ m['missing'] }}|",
    "membership tests": "{{ 'tool_calls' in m }}|{{ 'content' in m }}|{{ 'a' in 'abc' }}|{{ 'z' not in 'abc' }}"
        "|{{ 2 in lst }}",
    "list slicing": "{{ lst[1:] }}|{{ lst[:1] }}|{{ lst[-1] }}|{{ messages[1:] | length }}|{{ messages[:-1] | length }}"
        "|{{ messages[::2] | map(attribute='role') | join(',') }}",
    "looping over a reversed list":
        "{% for m in messages[::-1] %}{{ m.role[0] }}{% endfor %}|{{ messages[1:3] | map(attribute='role') | join(',') }}",
    "finding the last user message the way recent templates do":
        "{%- set ns = namespace(last=-1) %}{%- for m in messages[::-1] %}{%- set idx = (messages|length - 1) - loop.index0 %}"
        "{%- if ns.last == -1 and m.role == 'user' %}{%- set ns.last = idx %}{%- endif %}{%- endfor %}{{ ns.last }}",
    "dict methods": "{{ m.get('content') }}|{{ m.get('zz', 'dflt') }}|{{ m.keys() | list }}|{{ m.items() | list }}"
        "|{% for k, v in m.items() %}{{ k }}={{ v }};{% endfor %}",
    "nested attributes": "{{ nested.a.b }}|{{ nested['a']['b'] }}",
    # Printing Python values.
    "booleans, lists and dicts print as Python prints them": "{{ lst }}|{{ m }}|{{ b }}|{{ n }}|{{ f }}|{{ true }}|{{ False }}",
    "mixed lists print with Python quoting": "{{ [1, 'a', none, true, \"it's\"] }}",
    "floats print as Python prints them":
        "{{ 1 == 1.0 }}|{{ 0.1 + 0.2 }}|{{ 1e20 }}|{{ 1/3 }}|{{ 2.0 }}|{{ 1e-5 }}|{{ 3 * 1.0 }}|{{ 10 / 5 }}",
    "concatenation with tilde and plus": "{{ 'a' ~ 1 ~ 2.0 ~ true }}|{{ 'n: ' ~ lst }}|{{ 'a' + 'b' }}",
    # Operators.
    "integer and float arithmetic":
        "{{ 7 // 2 }}|{{ -7 // 2 }}|{{ -7 % 3 }}|{{ 7 / 2 }}|{{ 6 / 2 }}|{{ 2 ** 10 }}|{{ 1.5 + 1 }}|{{ 10 - 3 }}"
        "|{{ -7.5 // 2 }}|{{ 7 // -2 }}|{{ 2 ** -1 }}",
    "not binds looser than comparisons": "{{ not 1 == 2 }}|{{ not lst | length == 3 }}|{{ not m.missing is defined }}",
    "and and or return one of their operands":
        "{{ m.content or 'x' }}|{{ none or 'y' }}|{{ '' and 'z' }}|{{ 0 or [] }}|{{ not 1 == 2 and 3 }}",
    "Python truth: the string false is true":
        "{% if word_false %}T{% else %}F{% endif %}|{{ 'T' if word_false else 'F' }}|{{ not word_false }}"
        "|{{ word_false and 'yes' }}|{{ word_false | default('x', true) }}",
    "conditional expressions": "{{ 1 if u else 2 }}|{{ 'x' if s }}|{{ 'a' if 1 > 2 else 'b' }}|",
    # Filters.
    "filter precedence over plus": "{{ 'a' + s | trim + 'b' }}",
    "trim, length, join, first, last": "{{ s | trim }}|{{ lst | length }}|{{ lst | join(', ') }}|{{ lst | first }}"
        "|{{ lst | last }}|{{ (lst | length) > 2 }}",
    "reject and select": "{{ lst | reject('equalto', 2) | list }}|{{ lst | select('odd') | list }}",
    "selectattr and map over messages":
        "{{ messages | selectattr('role', 'equalto', 'user') | map(attribute='content') | list }}"
        "|{{ messages | map(attribute='role') | join(',') }}|{{ (messages | first).content }}|{{ (messages | last)['role'] }}",
    "items of a mapping": "{{ m | items | list }}",
    "default": "{{ u | default('dflt') }}|{{ '' | default('e', true) }}|{{ s | default('x') }}",
    "reverse, max, min, sort, unique": "{{ lst | reverse | list }}|{{ lst | max }}|{{ lst | min }}"
        "|{{ ['b','a'] | sort }}|{{ [1,1,2] | unique | list }}",
    "sum keeps integers": "{{ lst | map('string') | join }}|{{ lst | sum }}|{{ [1.5, 2] | sum }}",
    "upper, capitalize, replace, title filters":
        "{{ s | upper }}|{{ s | capitalize }}|{{ s | replace('h', 'J') }}|{{ s | title }}|{{ 'café' | upper }}",
    "range and batch": "{{ range(3) | list }}|{{ range(1, 7, 2) | list }}|{{ lst | batch(2) | list }}"
        "|{% for i in range(2, 4) %}{{ i }}{% endfor %}",
    "tojson as Hugging Face defines it":
        "{{ m | tojson }}|{{ m | tojson(indent=2) }}|{{ lst | tojson }}|{{ 'x\"y' | tojson }}|{{ none | tojson }}"
        "|{{ true | tojson }}|{{ 2.5 | tojson }}",
    "tojson options": "{{ {'k': [1, 2.5, none, true, 'é']} | tojson }}|{{ {'b': 1, 'a': 2} | tojson(sort_keys=true) }}"
        "|{{ [1,2] | tojson(separators=(',', ':')) }}|{{ 'é' | tojson(ensure_ascii=true) }}",
    # Tests.
    "is tests": "{{ u is defined }}|{{ s is defined }}|{{ none is none }}|{{ m.content is string }}|{{ lst is sequence }}"
        "|{{ 5 is number }}|{{ m is mapping }}",
    "strings and dicts are iterable": "{{ s is string }}|{{ s is iterable }}|{{ m is mapping }}|{{ lst is iterable }}"
        "|{{ m is iterable }}|{{ s is mapping }}|{{ n is number }}",
    "undefined values are falsy and print as nothing":
        "{% if u %}yes{% else %}no{% endif %}|{% if not m.tool_calls %}none{% endif %}|{{ u }}|{{ lst[5] }}",
    "iterating a dict gives its keys": "{% for k in m %}{{ k }},{% endfor %}",
    "equality as in Python: no conversion between strings, numbers and booleans":
        "{{ '' != false }}|{{ 'text' != false }}|{{ 1 == '1' }}|{{ 0 == false }}|{{ none == none }}|{{ [1, 2] == [1, 2] }}"
        "|{{ m == {'role': 'user', 'content': 'Hi é'} }}|{{ 1 == 1.0 }}|{{ 'a' == 'a' }}",
    "comparing a message with the last user message":
        "{% set us = messages | selectattr('role', 'equalto', 'user') | list %}{% for x in messages %}{{ x == us[-1] }}"
        "{% endfor %}|{{ us | length }}",
    "ordering of strings, numbers and lists": "{{ 'A' < 'a' }}|{{ 2 > 1.5 }}|{{ [1, 2] < [1, 3] }}|{{ 'abc' >= 'abd' }}",
    "method calls chain and index": "{{ 'a</think>b'.split('</think>')[-1].lstrip('\\n') }}|{{ ('x' ~ 'y').upper() }}"
        "|{{ messages[0].content.upper() }}",
    "format filter is percent formatting": "{{ '%.2f|%s' | format(3.14159, 'x') }}|{{ '%s' | format(true) }}",
    "truncate with Jinja2's leeway": "{{ 'hello world' | truncate(8) }}|{{ 'hello wonderful world' | truncate(12) }}"
        "|{{ 'hello wonderful world' | truncate(12, true) }}",
    "more filters": "{{ '5' | int + 1 }}|{{ 3.7 | int }}|{{ '2.5' | float }}|{{ 2.567 | round(2) }}|{{ m | dictsort }}"
        "|{{ [3,1,2] | sort(reverse=true) }}|{{ 'Hello World' | lower | replace(' ', '_') }}|{{ 'x' | center(5) }}"
        "|{{ 'a\nb' | indent(2) }}|{{ 'abc' | list }}",
    "full-width characters in literals and a namespace over messages":
        "{%- set ns = namespace(system_prompt='') %}{%- for message in messages %}{%- if message['role'] == 'system' %}"
        "{%- set ns.system_prompt = message['content'] %}{%- endif %}{%- endfor %}{{ ns.system_prompt }}"
        "{{'<｜Assistant｜>' + 'c' + '<｜end▁of▁sentence｜>'}}",
    "content that is a string or a list of parts":
        "{{ m.content if m.content is string else m.content | map(attribute='text') | join('') }}",
    # Globals.
    "the globals are defined variables too, as Llama 3.2's template checks":
        "{{ strftime_now is defined }}|{{ raise_exception is defined }}"
        "|{% if strftime_now is defined %}{% set d = strftime_now('%Y') %}{% endif %}{{ d | length }}",
    "strftime_now formats the current time": "{{ strftime_now('%Y') | length }}|{{ strftime_now('%d %b %Y') | length }}",
    "raise_exception stops with the template's message":
        "before{% if messages | length > 3 %}{{ raise_exception('Too many messages: ' ~ messages | length) }}{% endif %}",
    "special tokens are variables": "{{ bos_token }}{{ eos_token is defined }}",
}


def main() -> None:
    cases = []
    for name, template in CASES.items():
        try:
            rendered, _ = render_jinja_template(
                conversations=[MESSAGES], chat_template=template, add_generation_prompt=False, **VARIABLES
            )
            cases.append({"name": name, "template": template, "output": rendered[0]})
        except jinja2.exceptions.TemplateError as e:
            cases.append({"name": name, "template": template, "error": str(e)})
    document = {
        "generated_by": "finetune/src/test/python/tokenize/render_jinja2_semantics.py",
        "transformers": transformers.__version__,
        "jinja2": jinja2.__version__,
        "messages": MESSAGES,
        "variables": VARIABLES,
        "cases": cases,
    }
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    errors = sum(1 for c in cases if "error" in c)
    print(f"wrote {len(cases)} cases ({errors} errors) to {OUTPUT}")


if __name__ == "__main__":
    main()

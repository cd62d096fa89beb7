package io.jtune.finetune.tokenize.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where Jinja2 raises and where a limit is hit, the template fails there, with Jinja2's error. */
class ChatTemplateErrorsTest {
    private static final List<Map<String, Object>> HELLO = List.of(Map.of("role", "user", "content", "Hello"));

    private static String render(String source) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("none_value", null);
        return new ChatTemplate(source).render(HELLO, false, variables);
    }

    private static ChatTemplateException failure(String source) {
        return assertThrows(ChatTemplateException.class, () -> render(source));
    }

    @Test
    void anUndefinedValuePrintsEmptyAsInJinja2() {
        assertEquals("[][][]", render("[{{ x }}][{{ messages[0].foo }}][{{ messages[5] }}]"));
        assertEquals("d", render("{{ messages[0].foo | default('d') }}"));
        assertEquals("False", render("{{ messages[0].foo is defined }}"));
        assertEquals("", render("{% if x is defined and x.y %}a{% endif %}"));
    }

    @Test
    void anAttributeOfAnUndefinedValueRaisesUndefinedErrorNamingTheLine() {
        ChatTemplateException e = failure("line one\n{{ messages[0].foo.bar }}");
        assertFalse(e.raisedByTemplate());
        assertEquals("'dict object' has no attribute 'foo'", e.templateMessage());
        assertTrue(e.getMessage().contains("(template line 2): UndefinedError: 'dict object' has no attribute 'foo'"),
                e.getMessage());
        assertEquals("'x' is undefined", failure("{{ x.y }}").templateMessage());
        assertEquals("'x' is undefined", failure("{{ x['y'] }}").templateMessage());
        assertEquals("'x' is undefined", failure("{% if x.y %}a{% endif %}").templateMessage());
        assertEquals("'x' is undefined", failure("{{ x.y | default('d') }}").templateMessage());
        assertEquals("'x' is undefined", failure("{{ x.upper() }}").templateMessage());
        assertEquals("list object has no element 5", failure("{{ messages[5].role }}").templateMessage());
        assertEquals("'str object' has no attribute 'foo'", failure("{{ messages[0].content.foo.bar }}").templateMessage());
    }

    @Test
    void anAttributeOfNoneIsUndefinedAndOneLevelDeeperRaises() {
        assertEquals("", render("{{ none_value.y }}"));
        assertEquals("'None' has no attribute 'y'", failure("{{ none_value.y.z }}").templateMessage());
    }

    @Test
    void theErrorNamesTheFileTheTemplateCameFrom() {
        ChatTemplate t = new ChatTemplate("{{ x.y }}", Clock.systemUTC(), "/models/m/chat_template.jinja");
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> t.render(HELLO, false));
        assertTrue(e.getMessage().startsWith("/models/m/chat_template.jinja: the chat template failed (template line 1)"),
                e.getMessage());
        e = assertThrows(ChatTemplateException.class,
                () -> new ChatTemplate("a\n{{ x ", Clock.systemUTC(), "/models/m/chat_template.jinja"));
        assertTrue(e.getMessage().startsWith("/models/m/chat_template.jinja: "), e.getMessage());
    }

    @Test
    void rangeGivesWhatPythonGivesUpToTheSandboxLimitAndRaisesBeyondIt() {
        assertEquals("5000", render("{{ range(5000) | length }}"));
        assertEquals("[2, 5, 8]|[5, 3]|[]", render("{{ range(2, 10, 3) }}|{{ range(5, 1, -2) }}|{{ range(3, 1) }}"));
        assertEquals(Jinja2Globals.MAX_RANGE + "", render("{{ range(" + Jinja2Globals.MAX_RANGE + ") | length }}"));
        ChatTemplateException e = failure("{% for i in range(100000000) %}{% endfor %}");
        assertTrue(e.getMessage().contains("OverflowError: Range too big. The sandbox blocks ranges larger than"
                + " MAX_RANGE (" + Jinja2Globals.MAX_RANGE + ")."), e.getMessage());
        assertTrue(failure("{{ range(1, 2, 0) }}").getMessage().contains("ValueError"));
        assertTrue(failure("{{ range('a') }}").getMessage().contains("TypeError"));
    }

    @Test
    void aLoopRunsEveryIteration() {
        assertEquals(5000, render("{% for i in range(5000) %}x{% endfor %}").length());
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add(Map.of("role", "user", "content", "x"));
        }
        assertEquals(5000, new ChatTemplate("{% for m in messages %}{{ m.content }}{% endfor %}").render(many, false)
                .length());
    }

    @Test
    void aMacroMayCallItselfButEndlessRecursionIsARecursionError() {
        assertEquals("done", render("{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{% else %}done{% endif %}{% endmacro %}"
                + "{{ f(150) }}"));
        ChatTemplateException e = failure("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}");
        assertFalse(e.raisedByTemplate());
        assertTrue(e.getMessage().contains("RecursionError: maximum recursion depth exceeded (macro 'f' nested more than "
                + Jinja2Environment.MAX_MACRO_DEPTH + " calls deep)"), e.getMessage());
    }
}

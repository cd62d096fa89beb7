package io.jtune.finetune.tokenize.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jtune.finetune.json.PythonJson;
import io.jtune.finetune.tokenize.TinyBpe;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Small templates that pin down one Jinja2 feature each (whitespace control, loops, Python string
 * methods, operators, filters, tests, printing) render as Hugging Face's renderer rendered them
 * (see {@code render_jinja2_semantics.py}).
 */
class ChatTemplateJinja2SemanticsTest {
    @SuppressWarnings("unchecked")
    private static final Map<String, Object> DOCUMENT =
            (Map<String, Object>) PythonJson.parse(TinyBpe.resource("tokenize/jinja2-semantics-cases.json"));

    @SuppressWarnings("unchecked")
    static Stream<Arguments> cases() {
        return ((List<Object>) DOCUMENT.get("cases")).stream()
                .map(o -> (Map<String, Object>) o)
                .map(c -> Arguments.of(c.get("name"), c));
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersAsHuggingFaceJinja2Does(String name, Map<String, Object> c) {
        ChatTemplate template = new ChatTemplate((String) c.get("template"));
        List<Map<String, Object>> messages = (List<Map<String, Object>>) DOCUMENT.get("messages");
        Map<String, Object> variables = (Map<String, Object>) DOCUMENT.get("variables");
        if (c.containsKey("error")) {
            ChatTemplateException e =
                    assertThrows(ChatTemplateException.class, () -> template.render(messages, false, variables));
            assertEquals(c.get("error"), e.templateMessage());
        } else {
            assertEquals(c.get("output"), template.render(messages, false, variables));
        }
    }
}

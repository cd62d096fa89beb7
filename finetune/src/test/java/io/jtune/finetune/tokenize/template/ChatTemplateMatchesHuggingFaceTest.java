package io.jtune.finetune.tokenize.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.json.PythonJson;
import io.jtune.finetune.tokenize.TinyBpe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real chat template of {@code tokenize/chat-templates/} renders every conversation of
 * {@code tokenize/chat-template-cases.json} byte for byte as Hugging Face's
 * {@code apply_chat_template} did (see {@code render_chat_templates.py}).
 */
class ChatTemplateMatchesHuggingFaceTest {
    private static final Map<String, Object> CASES = cases();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cases() {
        return (Map<String, Object>) PythonJson.parse(TinyBpe.resource("tokenize/chat-template-cases.json"));
    }

    @SuppressWarnings("unchecked")
    static Stream<Arguments> renderings() {
        Map<String, Map<String, Object>> conversations = new HashMap<>();
        for (Object c : (List<Object>) CASES.get("conversations")) {
            Map<String, Object> conversation = (Map<String, Object>) c;
            conversations.put((String) conversation.get("name"), conversation);
        }
        List<Arguments> out = new ArrayList<>();
        for (Object o : (List<Object>) CASES.get("cases")) {
            Map<String, Object> c = (Map<String, Object>) o;
            String name = c.get("template") + " | " + c.get("conversation")
                    + (Boolean.TRUE.equals(c.get("add_generation_prompt")) ? " | generation prompt" : "");
            out.add(Arguments.of(name, c, conversations.get((String) c.get("conversation"))));
        }
        return out.stream();
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void rendersTheConversationByteForByteAsHuggingFaceDoes(String name, Map<String, Object> c,
            Map<String, Object> conversation) {
        String template = (String) c.get("template");
        ChatTemplate chatTemplate = new ChatTemplate(TinyBpe.resource("tokenize/chat-templates/" + template + ".jinja"));
        Map<String, Object> variables = new HashMap<>(
                (Map<String, Object>) ((Map<String, Object>) CASES.get("special_tokens")).get(template));
        if (conversation.get("tools") != null) {
            variables.put("tools", conversation.get("tools"));
        }
        List<Map<String, Object>> messages = (List<Map<String, Object>>) conversation.get("messages");
        boolean addGenerationPrompt = (Boolean) c.get("add_generation_prompt");
        if (c.containsKey("error")) {
            ChatTemplateException e = assertThrows(ChatTemplateException.class,
                    () -> chatTemplate.render(messages, addGenerationPrompt, variables));
            assertTrue(e.raisedByTemplate(), e.getMessage());
            assertEquals(c.get("error"), e.templateMessage());
        } else {
            assertEquals(c.get("output"), chatTemplate.render(messages, addGenerationPrompt, variables));
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void theCasesCoverAllEightTemplatesWithRenderingsAndErrors() {
        Set<String> templates = new TreeSet<>();
        int errors = 0;
        for (Object o : (List<Object>) CASES.get("cases")) {
            Map<String, Object> c = (Map<String, Object>) o;
            templates.add((String) c.get("template"));
            errors += c.containsKey("error") ? 1 : 0;
        }
        assertEquals(Set.of("gemma-2-2b-it", "llama-3-8b-instruct", "llama-3.1-8b-instruct", "mistral-7b-instruct-v0.2",
                "phi-3-mini-4k-instruct", "phi-3.5-mini-instruct", "qwen2.5-7b-instruct", "smollm2-135m-instruct"),
                templates);
        assertTrue(errors > 0, "no error case");
        assertEquals(8 * ((List<Object>) CASES.get("conversations")).size() * 2,
                ((List<Object>) CASES.get("cases")).size());
    }
}

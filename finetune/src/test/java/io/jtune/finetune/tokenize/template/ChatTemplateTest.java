package io.jtune.finetune.tokenize.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.tokenize.TinyBpe;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {
    private static final List<Map<String, Object>> HELLO = List.of(Map.of("role", "user", "content", "Hello"));

    @Test
    void raiseExceptionThrowsWithTheTemplatesMessage() {
        ChatTemplate t = new ChatTemplate("{{ raise_exception('Only ' + 'user roles, got ' ~ messages[0].role) }}");
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> t.render(HELLO, false));
        assertTrue(e.raisedByTemplate());
        assertEquals("Only user roles, got user", e.templateMessage());
        assertTrue(e.getMessage().contains("Only user roles, got user"), e.getMessage());
    }

    @Test
    void anUnclosedTagIsASyntaxErrorNamingTheLine() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> new ChatTemplate("line one\n{{ x "));
        assertFalse(e.raisedByTemplate());
        assertTrue(e.getMessage().contains("template line 2"), e.getMessage());
    }

    @Test
    void anUnclosedBlockIsASyntaxErrorNamingTheBlock() {
        ChatTemplateException e =
                assertThrows(ChatTemplateException.class, () -> new ChatTemplate("{% for m in messages %}{{ m }}"));
        assertTrue(e.getMessage().contains("'for' is never closed"), e.getMessage());
    }

    @Test
    void anUnknownFilterOrTestIsRefusedAsJinja2RefusesIt() {
        ChatTemplateException e =
                assertThrows(ChatTemplateException.class, () -> new ChatTemplate("{{ messages | no_such_filter }}"));
        assertFalse(e.raisedByTemplate());
        assertEquals("No filter named 'no_such_filter'.", e.templateMessage());
        e = assertThrows(ChatTemplateException.class, () -> new ChatTemplate("{{ 'a|b' ~ (x is not no_such_test) }}"));
        assertEquals("No test named 'no_such_test'.", e.templateMessage());
    }

    @Test
    void anUnknownFunctionFailsTheRendering() {
        ChatTemplate t = new ChatTemplate("{{ no_such_function(1) }}");
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> t.render(HELLO, false));
        assertFalse(e.raisedByTemplate());
        assertTrue(e.getMessage().contains("no_such_function"), e.getMessage());
    }

    @Test
    void strftimeNowReadsTheGivenClockInItsZone() {
        Clock clock = Clock.fixed(Instant.parse("2024-07-06T07:05:03Z"), ZoneId.of("Europe/Paris"));
        ChatTemplate t = new ChatTemplate("{{ strftime_now('%d %b %Y, %H:%M:%S %A %j %-d/%-m %p %I') }}", clock);
        assertEquals("06 Jul 2024, 09:05:03 Saturday 188 6/7 AM 09", t.render(HELLO, false));
    }

    @Test
    void toolsAndDocumentsAreNoneUnlessGivenAndVariablesReachTheTemplate() {
        ChatTemplate t = new ChatTemplate(
                "{{ tools is none }}|{{ documents is none }}|{{ bos_token }}|{{ add_generation_prompt }}|{{ date_string }}");
        assertEquals("True|True|<s>|True|26 Jul 2024",
                t.render(HELLO, true, Map.of("bos_token", "<s>", "date_string", "26 Jul 2024")));
        assertEquals("False|True||False|", t.render(HELLO, false, Map.of("tools", List.of(Map.of("name", "f")))));
    }

    @Test
    void messagesAndTheGenerationPromptFlagWinOverVariablesOfTheSameName() {
        ChatTemplate t = new ChatTemplate("{{ messages | length }} {{ add_generation_prompt }}");
        assertEquals("1 False", t.render(HELLO, false, Map.of("messages", List.of(), "add_generation_prompt", true)));
    }

    @Test
    void renderingDoesNotChangeTheCallersMessages() {
        List<Map<String, Object>> messages = new ArrayList<>();
        messages.add(new HashMap<>(Map.of("role", "system", "content", "S")));
        messages.add(new HashMap<>(Map.of("role", "user", "content", "U")));
        ChatTemplate t = new ChatTemplate("{% set messages = messages[1:] %}{{ messages | length }}");
        assertEquals("1", t.render(messages, false));
        assertEquals(2, messages.size());
    }

    @Test
    void oneTemplateRendersFromManyThreadsAtOnce() throws Exception {
        ChatTemplate t = new ChatTemplate(TinyBpe.resource("tokenize/chat-templates/qwen2.5-7b-instruct.jinja"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String content = "message " + i;
                results.add(pool.submit(() -> t.render(List.of(Map.of("role", "user", "content", content)), true)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertTrue(results.get(i).get().contains("<|im_start|>user\nmessage " + i + "<|im_end|>"));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theSourceIsKeptAsGiven() {
        String source = "{{ bos_token }}\n";
        assertEquals(source, new ChatTemplate(source).source());
    }
}

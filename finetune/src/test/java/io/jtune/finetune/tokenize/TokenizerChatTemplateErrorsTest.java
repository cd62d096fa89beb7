package io.jtune.finetune.tokenize;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.tokenize.template.ChatTemplateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's chat template that fails names the file it came from, and the template line. */
class TokenizerChatTemplateErrorsTest {
    @TempDir
    Path dir;

    @Test
    void anUndefinedErrorNamesChatTemplateJinjaAndTheLine() throws Exception {
        Files.copy(TinyBpe.storedFolder().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Path template = Files.writeString(dir.resolve("chat_template.jinja"), "{{ bos_token }}\n{{ messages[0].meta.id }}");
        Tokenizer tokenizer = Tokenizer.load(dir);
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> tokenizer.applyChatTemplate(
                List.of(Map.of("role", "user", "content", "hi")), false));
        assertTrue(e.getMessage().startsWith(template + ": the chat template failed (template line 2): UndefinedError:"
                + " 'dict object' has no attribute 'meta'"), e.getMessage());
    }
}

package io.jtune.finetune.data.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.data.SourceRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LegalAlpacaJsonlTest {
    @TempDir
    Path dir;

    @Test
    void legalExamplesWrittenAsJsonlReadBackWithJacksonUnchanged() throws Exception {
        List<Example> examples = new LegalAuditGenerator().generate(200, 9);
        Path file = dir.resolve("out/legal.jsonl");
        LegalAuditGenerator.writeJsonl(file, examples);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(examples.size(), lines.size());
        ObjectMapper mapper = new ObjectMapper();
        for (int i = 0; i < examples.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, String> row = mapper.readValue(lines.get(i), Map.class);
            assertEquals(examples.get(i).fields(), row);
        }
        assertEquals(examples.stream().map(Example::fields).toList(), LegalAlpacaJsonl.read(file));
    }

    @Test
    void theVerdictDashSurvivesAsUtf8() throws Exception {
        Example ex = new Example(List.of(Message.user("q"), Message.assistant("a")),
                Map.of("instruction", "q", "input", "", "output", "Verdict: NON-COMPLIANT \u2014 too short"),
                new SourceRef("t", 1));
        Path file = dir.resolve("dash.jsonl");
        LegalAlpacaJsonl.write(file, List.of(ex));
        String raw = Files.readString(file, StandardCharsets.UTF_8);
        assertEquals(ex.fields(), LegalAlpacaJsonl.read(file).get(0));
        assertEquals(1, raw.lines().count());
    }
}

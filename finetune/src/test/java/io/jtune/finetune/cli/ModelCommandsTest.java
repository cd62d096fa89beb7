package io.jtune.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.model.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandsTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = dir.resolve("tiny");
        TinyModels.write(model, TinyModels.TEST_LLAMA, 3);
    }

    private static String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            assertEquals(0, ModelCommands.run(List.of(args), out));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void generatePrintsTheNewTextAndTheIdsOnRequest() throws Exception {
        String out = run("generate", model.toString(), "--prompt", "The contract", "--max-new-tokens", "5", "--print-ids");
        assertTrue(out.contains("new ids:"), out);
        String ids = out.substring(out.indexOf("new ids:") + 8).strip();
        assertEquals(5, ids.replaceAll("[\\[\\]]", "").split(",").length, out);
    }

    @Test
    void greedyGenerationIsDeterministicAndChatUsesTheTemplate() throws Exception {
        String a = run("generate", model.toString(), "--ids", "10,20,30", "--max-new-tokens", "6", "--print-ids");
        String b = run("generate", model.toString(), "--ids", "10,20,30", "--max-new-tokens", "6", "--print-ids");
        assertEquals(a, b);
        String chat = run("generate", model.toString(), "--prompt", "Hi", "--chat", "--max-new-tokens", "2", "--print-ids");
        assertTrue(chat.contains("prompt ids:"), chat);
    }

    @Test
    void nextTokenListsTheTopTokensWithProbabilitiesThatSumToOne() throws Exception {
        String table = run("next-token", model.toString(), "--prompt", "Payment terms", "--top", "5");
        assertEquals(6, table.strip().split("\n").length, table);
        JsonNode json = new ObjectMapper().readTree(run("next-token", model.toString(), "--ids", "1,2,3", "--json"));
        double sum = 0;
        for (JsonNode e : json.get("next_token")) {
            sum += e.get("probability").asDouble();
        }
        assertEquals(1.0, sum, 1e-6);
        assertEquals(1, json.get("next_token").get(0).get("rank").asInt());
    }

    @Test
    void tinyModelWritesAFolderThatGenerateReads() throws Exception {
        Path out = dir.resolve("made");
        assertTrue(run("tiny-model", out.toString(), "--arch", "qwen2", "--size", "test", "--seed", "1").contains("parameters"));
        assertTrue(run("generate", out.toString(), "--ids", "5,6", "--max-new-tokens", "2", "--print-ids").contains("new ids:"));
        assertThrows(IllegalArgumentException.class, () -> run("tiny-model", out.toString(), "--arch", "gpt2"));
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThrows(IllegalArgumentException.class, () -> run("generate", model.toString()));
        assertThrows(IllegalArgumentException.class, () -> run("generate", model.toString(), "--ids", "1,x"));
        assertThrows(IllegalArgumentException.class, () -> run("next-token", model.toString(), "--bogus", "1"));
    }
}

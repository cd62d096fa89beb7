package io.jtune.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.model.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EngineCommandsTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws Exception {
        model = dir.resolve("tiny");
        TinyModels.write(model, TinyModels.TEST_LLAMA, 3);
    }

    /** The engine's commands under a bare top command, as the distribution builds its table. */
    static CommandLine commandLine(StringWriter out, StringWriter err) {
        CommandLine cl = new CommandLine(new Top());
        EngineCommands.all().forEach(cl::addSubcommand);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }

    @CommandLine.Command(name = "jtune", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT)
    static final class Top implements Runnable {
        @Override
        public void run() {}
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, commandLine(out, err).execute(args), err.toString());
        return out.toString();
    }

    private static int exitCode(String... args) {
        return commandLine(new StringWriter(), new StringWriter()).execute(args);
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
        assertEquals(2, exitCode("tiny-model", out.toString(), "--arch", "gpt2"));
    }

    /** Runs a command that must fail, returning its error output. */
    private static String failure(String... args) {
        StringWriter err = new StringWriter();
        assertEquals(1, commandLine(new StringWriter(), err).execute(args), err.toString());
        return err.toString();
    }

    /** The model's config and tokenizer without its weights: a check that loaded them would fail on them instead. */
    private static Path withoutWeights() throws Exception {
        Path bare = dir.resolve("no-weights");
        if (!Files.isDirectory(bare)) {
            Files.createDirectories(bare);
            for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
                if (Files.exists(model.resolve(f))) {
                    Files.copy(model.resolve(f), bare.resolve(f));
                }
            }
        }
        return bare;
    }

    @Test
    void idsOutsideTheVocabularyAreRefusedBeforeTheWeightsLoad() throws Exception {
        String bare = withoutWeights().toString();
        assertTrue(failure("next-token", bare, "--ids", "1,384").contains(
                "token id 384 (at index 1) is not in the vocabulary: the model has vocab_size 384"));
        assertTrue(failure("generate", bare, "--ids", "-1").contains("token id -1 (at index 0)"));
    }

    @Test
    void aPromptLongerThanTheModelsPositionsIsRefusedBeforeTheWeightsLoad() throws Exception {
        String bare = withoutWeights().toString();
        String ids = String.join(",", java.util.Collections.nCopies(513, "7"));
        assertTrue(failure("next-token", bare, "--ids", ids).contains(
                "the prompt has 513 tokens; the model has max_position_embeddings 512"));
        String err = failure("generate", bare, "--prompt", "The contract ".repeat(300));
        assertTrue(err.contains("new tokens make") && err.contains("max_position_embeddings 512"), err);
        // what is allowed reaches the weights, which are missing here
        assertTrue(failure("next-token", bare, "--ids", "1,2").contains("safetensors"));
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(2, exitCode("generate", model.toString()));
        assertEquals(2, exitCode("generate", model.toString(), "--ids", "1,x"));
        assertEquals(2, exitCode("generate", model.toString(), "--ids", "1", "--prompt", "both"));
        assertEquals(2, exitCode("next-token", model.toString(), "--bogus", "1"));
        assertEquals(2, exitCode("tiny-model"));
    }

    @Test
    void flagsParseAsTheyDidBefore() {
        CommandLine cl = commandLine(new StringWriter(), new StringWriter());
        CommandLine.ParseResult r = cl.parseArgs("generate", "org/name", "--prompt", "Hi", "--chat",
                "--max-new-tokens", "7", "--temperature", "0.7", "--top-p", "0.9", "--top-k", "40", "--seed", "3",
                "--repetition-penalty", "1.1", "--stop", "a", "--stop", "b", "--no-cache", "--print-ids");
        GenerateCommand g = (GenerateCommand) r.subcommand().commandSpec().userObject();
        assertEquals("org/name", g.input.model);
        assertEquals("Hi", g.input.prompt.text);
        assertTrue(g.input.chat && g.noCache && g.printIds && !g.greedy);
        assertEquals(7, g.maxNewTokens);
        assertEquals(0.7, g.temperature);
        assertEquals(0.9, g.topP);
        assertEquals(40, g.topK);
        assertEquals(3, g.seed);
        assertEquals(1.1, g.repetitionPenalty);
        assertEquals(List.of("a", "b"), g.stop);

        NextTokenCommand n = (NextTokenCommand) commandLine(new StringWriter(), new StringWriter())
                .parseArgs("next-token", "m", "--ids", "1, 2,3", "--top", "4", "--json")
                .subcommand().commandSpec().userObject();
        assertArrayEquals(new int[] {1, 2, 3}, n.input.prompt.ids.values());
        assertEquals(4, n.top);
        assertTrue(n.json);

        TinyModelCommand t = (TinyModelCommand) commandLine(new StringWriter(), new StringWriter())
                .parseArgs("tiny-model", "out").subcommand().commandSpec().userObject();
        assertEquals("llama", t.arch);
        assertEquals("demo", t.size);
        assertEquals(42, t.seed);
    }

    @Test
    void eachCommandHasHelp() {
        StringWriter out = new StringWriter();
        assertEquals(0, commandLine(out, new StringWriter()).execute("generate", "--help"));
        assertTrue(out.toString().contains("--max-new-tokens=N"), out.toString());
    }
}

package io.jtune.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.data.samples.AcmeQuickstart;
import io.jtune.finetune.model.TinyModels;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jtune eval} on a tiny model and the quickstart data, alone and adapter off against on. */
class EvalCommandTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path data;

    @BeforeAll
    static void writeModelAndData() throws Exception {
        model = dir.resolve("tiny");
        TinyModels.write(model, TinyModels.TEST_LLAMA, 3);
        data = dir.resolve("acme.jsonl");
        AcmeQuickstart.writeJsonl(data, AcmeQuickstart.examples());
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EngineCommandsTest.commandLine(out, err).execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void printsTheMetricTableAndWritesPerExampleResults() throws Exception {
        Path results = dir.resolve("base.jsonl");
        String[] r = run("eval", model.toString(), "--data", data.toString(), "--limit", "3", "--max-new-tokens", "4",
                "--metrics", "em,f1,rougeL,loss", "--out", results.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("data: 3 cases") && r[1].contains("token_f1") && r[1].contains("perplexity"), r[1]);
        assertEquals(3, Files.readAllLines(results).size());
    }

    @Test
    void comparesAnAdapterWithItsBaseAndReadsThePromptFormatOfItsRun() throws Exception {
        Path run = dir.resolve("run");
        String[] t = run("train", "--model", model.toString(), "--data", data.toString(), "--max-steps", "2",
                "--batch", "2", "--prompt-format", "alpaca", "--out", run.toString());
        assertEquals("0", t[0], t[1] + t[2]);
        assertEquals(java.util.Optional.of("alpaca"), EvalCommand.runPromptFormat(run.resolve("adapter")));
        String[] r = run("eval", model.toString(), "--data", data.toString(), "--limit", "4", "--max-new-tokens", "3",
                "--adapter", run.resolve("adapter").toString(), "--compare-adapter-off", "--metrics", "f1,verdict");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("prompt format alpaca"), r[1]);
        for (String s : List.of("before / after", "adapter off", "adapter on", "ci95_low", "token_f1")) {
            assertTrue(r[1].contains(s), s + " in " + r[1]);
        }
    }

    @Test
    void badOptionsAreNamed() {
        String[] r = run("eval", model.toString(), "--data", data.toString(), "--metrics", "bleu");
        assertNotEquals("0", r[0]);
        assertTrue(r[2].contains("unknown metric 'bleu'"), r[2]);
        String[] c = run("eval", model.toString(), "--data", data.toString(), "--compare-adapter-off");
        assertTrue(c[2].contains("--compare-adapter-off needs --adapter"), c[2]);
    }
}

package io.jtune.kernel.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.kernel.eval.EvaluatorOptions;
import io.jtune.kernel.eval.JShellEvaluator;
import io.jtune.kernel.magic.MagicRegistry;
import io.jtune.kernel.protocol.Json;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotebookRunnerTest {
    static JShellEvaluator evaluator;
    static NotebookRunner runner;

    @BeforeAll
    static void start() {
        evaluator = new JShellEvaluator(EvaluatorOptions.defaults(), MagicRegistry.discover());
        runner = new NotebookRunner(evaluator, new PrintStream(PrintStream.nullOutputStream()));
    }

    @AfterAll
    static void stop() {
        evaluator.close();
    }

    private static ObjectNode notebook(String... sources) {
        ObjectNode nb = Json.object().put("nbformat", 4).put("nbformat_minor", 5);
        nb.putObject("metadata");
        ArrayNode cells = nb.putArray("cells");
        cells.addObject().put("cell_type", "markdown").put("source", "# title");
        for (String s : sources) {
            ObjectNode c = cells.addObject().put("cell_type", "code");
            c.putArray("source").add(s);
            c.putArray("outputs");
        }
        return nb;
    }

    private static JsonNode outputs(ObjectNode nb, int codeCell) {
        return nb.path("cells").get(codeCell + 1).path("outputs");
    }

    @Test
    void outputsAreWrittenAsNbformatWithExecutionCounts() {
        ObjectNode nb = notebook(
                "System.out.print(\"a\"); System.out.println(\"b\");",
                "String id = display(html(\"<i>0</i>\")); updateDisplay(id, html(\"<i>1</i>\"));",
                "6 * 7");
        NotebookRunner.Outcome o = runner.run(nb, false, 0);
        assertTrue(o.ok());
        assertEquals(3, o.cellsRun());
        JsonNode first = outputs(nb, 0);
        assertEquals(1, first.size(), "consecutive stream text is merged");
        assertEquals("stream", first.get(0).path("output_type").asText());
        assertEquals("ab\n", first.get(0).path("text").asText());
        JsonNode display = outputs(nb, 1).get(0);
        assertEquals("display_data", display.path("output_type").asText());
        assertEquals("<i>1</i>", display.path("data").path("text/html").asText(), "updated in place");
        JsonNode result = outputs(nb, 2).get(0);
        assertEquals("execute_result", result.path("output_type").asText());
        assertEquals(3, result.path("execution_count").asInt());
        assertEquals("42", result.path("data").path("text/plain").asText());
        assertEquals("jtune", nb.path("metadata").path("kernelspec").path("name").asText());
    }

    @Test
    void theFirstFailingCellStopsTheRunUnlessErrorsAreAllowed() {
        ObjectNode nb = notebook("int q = 1 / 0;", "\"never\"");
        NotebookRunner.Outcome o = runner.run(nb, false, 0);
        assertFalse(o.ok());
        assertEquals(1, o.failedCell());
        assertEquals("error", outputs(nb, 0).get(0).path("output_type").asText());
        assertEquals("java.lang.ArithmeticException", outputs(nb, 0).get(0).path("ename").asText());
        assertEquals(0, outputs(nb, 1).size());

        ObjectNode again = notebook("int q = 1 / 0;", "\"after\"");
        NotebookRunner.Outcome allowed = runner.run(again, true, 0);
        assertEquals(1, allowed.failedCell());
        assertEquals("after", outputs(again, 1).get(0).path("data").path("text/plain").asText());
    }

    @Test
    void aCellThatRunsPastTheTimeoutIsInterrupted() {
        ObjectNode nb = notebook("while (true) {}", "1");
        NotebookRunner.Outcome o = runner.run(nb, false, 1);
        assertEquals(1, o.failedCell());
        assertTrue(o.failure().contains("timed out"), o.failure());
        assertEquals("CellTimeoutError", outputs(nb, 0).get(0).path("ename").asText());
    }

    @Test
    void clearOutputWithWaitClearsWhenTheNextOutputArrives() {
        ObjectNode nb = notebook("System.out.println(\"old\"); System.out.flush(); Thread.sleep(100);"
                + " clearOutput(true); System.out.println(\"new\");");
        runner.run(nb, false, 0);
        JsonNode out = outputs(nb, 0);
        assertEquals(1, out.size());
        assertEquals("new\n", out.get(0).path("text").asText());
    }

    @Test
    void writtenNotebookIsReadBackUnchanged(@TempDir Path dir) throws Exception {
        ObjectNode nb = notebook("\"héllo\"");
        runner.run(nb, false, 0);
        Path file = dir.resolve("out.ipynb");
        NotebookRunner.write(nb, file);
        assertEquals(nb, NotebookRunner.read(file));
        assertTrue(Files.readString(file).startsWith("{\n \"nbformat\""), "one-space indent as Jupyter writes");
    }
}

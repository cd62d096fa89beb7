package io.jtune.kernel.eval;

import io.jtune.kernel.eval.CellResult;
import io.jtune.kernel.eval.EvaluatorOptions;
import io.jtune.kernel.eval.JShellEvaluator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.kernel.magic.GeneralMagics;
import io.jtune.kernel.magic.MagicRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IJava's notebook functions (eval, lineMagic, cellMagic, getKernelInstance) and magics inside Java. */
class NotebookFunctionsTest {
    @TempDir
    static Path dir;
    static JShellEvaluator evaluator;

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        Files.write(dir.resolve("lib/a.jar"), JarFixtures.jarWithClass("fixture.A", "alpha"));
        Files.write(dir.resolve("lib/b.jar"), JarFixtures.jarWithClass("fixture.B", "beta"));
        Files.createDirectories(dir.resolve("more"));
        Files.write(dir.resolve("more/c.jar"), JarFixtures.jarWithClass("fixture.C", "gamma"));
        Files.write(dir.resolve("more/d.jar"), JarFixtures.jarWithClass("fixture.D", "delta"));
        MagicRegistry magics = GeneralMagics.registry()
                .registerLine("echo", "Returns its words", "%echo WORD...", (args, ctx) -> args.positional())
                .registerLine("boom", "Fails", "%boom", (args, ctx) -> {
                    throw new io.jtune.kernel.magic.MagicException("it went boom");
                })
                .registerCell("upper", "Upper-cases the body", "%%upper", (args, body, ctx) -> body.toUpperCase());
        evaluator = new JShellEvaluator(EvaluatorOptions.defaults().withWorkingDirectory(dir), magics);
        evaluator.awaitReady();
    }

    @AfterAll
    static void stop() {
        evaluator.close();
    }

    private static CellResult run(String code) {
        return evaluator.execute(code, new RecordingCellIO());
    }

    private static Object value(String code) {
        CellResult r = run(code);
        assertTrue(r.ok(), () -> code + " failed: " + r.error());
        return r.value();
    }

    @Test
    void evalReturnsTheLiveValueAndItsDeclarationsStayInTheNotebook() {
        assertEquals(3, value("eval(\"1 + 2\")"));
        assertEquals(7, value("eval(\"int seven = 7;\")"), "a declaration's value is returned");
        assertEquals(14, value("seven * 2"));
        assertEquals("same", value("Object o = new Object(); eval(\"Object p = o;\"); eval(\"p\") == o ? \"same\" : \"copy\""));
    }

    @Test
    void evalRunsMagicsToo() {
        assertEquals(List.of("x", "y"), value("eval(\"%echo x y\")"));
    }

    @Test
    void evalOfBadCodeThrowsANotebookExceptionThatTheCellCanCatch() {
        assertEquals("caught: eval failed: CompilationException",
                value("String m; try { eval(\"int = ;\"); m = \"no\"; } catch (NotebookException e) { m = \"caught: \" + e.getMessage(); } m.substring(0, m.indexOf(':', 20))"));
        assertEquals("IllegalStateException: bad",
                value("String m; try { eval(\"throw new IllegalStateException(\\\"bad\\\")\"); m = \"no\"; } catch (NotebookException e) { m = e.getCause().getClass().getSimpleName() + \": \" + e.getCause().getMessage(); } m"));
        assertEquals(5, value("2 + 3"), "the notebook goes on");
    }

    @Test
    void lineMagicAndCellMagicReturnTheMagicsResult() {
        assertEquals(List.of("a b", "c"), value("lineMagic(\"echo\", List.of(\"a b\", \"c\"))"));
        assertEquals("BODY", value("cellMagic(\"upper\", List.of(), \"body\")"));
        assertEquals(List.of("p", "q"), value("List<String> words = lineMagic(\"echo\", \"p q\"); words"));
    }

    @Test
    void aFailingMagicCalledFromJavaFailsTheCellWithItsMessage() {
        CellResult r = run("lineMagic(\"boom\", List.of())");
        assertFalse(r.ok());
        assertEquals("io.jtune.kernel.api.NotebookException", r.error().ename());
        assertTrue(r.error().evalue().contains("Failed to run %boom: it went boom"), r.error().evalue());
        CellResult glob = run("%jars no-such-folder/*.jar");
        assertEquals("MagicException", glob.error().ename());
        assertTrue(glob.error().evalue().startsWith("Failed to run %jars: Nothing matches no-such-folder/*.jar"),
                glob.error().evalue());
        CellResult unknown = run("lineMagic(\"nosuch\", List.of())");
        assertTrue(unknown.error().evalue().contains("Unknown magic %nosuch"), unknown.error().evalue());
        assertEquals(1, value("1"));
    }

    @Test
    void aMagicAfterAnAssignmentDesugarsToLineMagicWithTheDeclaredType() {
        CellResult r = run("List<String> added = %jars more/*.jar\nadded.size()");
        assertTrue(r.ok(), () -> String.valueOf(r.error()));
        assertEquals(2, r.value());
        assertEquals("gamma", value("new fixture.C().toString()"), "the jars are on the class path");
    }

    @Test
    void varEqualsMagicBindsTheResultsOwnTypeAsAsNameDoes() {
        assertTrue(run("var words = %echo one two").ok());
        assertEquals(2, value("words.size()"), "typed as a List, not Object");
        assertTrue(run("%echo three four as more").ok());
        assertEquals("four", value("more.get(1)"));
    }

    @Test
    void aMagicOnALineInsideABlockRunsWhereTheJavaRuns() {
        CellResult r = run("List<Object> seen = new ArrayList<>();\nfor (int i = 0; i < 3; i++) {\n    %echo hello\n    seen.add(i);\n}\nseen.size()");
        assertTrue(r.ok(), () -> String.valueOf(r.error()));
        assertEquals(3, r.value());
        assertEquals(List.of("x"), value("Object w = null;\nif (true) {\n    w = %echo x\n}\nw"));
    }

    @Test
    void getKernelInstanceGivesTheClassPathAndTheMagics() {
        assertEquals(true, value("getKernelInstance().getMagics().find(\"jars\").isPresent()"));
        assertEquals(true, value("getKernelInstance().magics().find(\"loadFromPOM\").isPresent()"));
        Object added = value("getKernelInstance().addToClasspath(\"lib/b.jar\").size() + getKernelInstance().addToClasspath(\"lib/b.jar\").size()");
        assertTrue(added.equals(1) || added.equals(0), "added once at most: " + added);
        assertEquals("beta", value("new fixture.B().toString()"));
        assertEquals(true, value("getKernelInstance().classpath().stream().anyMatch(p -> p.endsWith(\"b.jar\"))"));
    }

    @Test
    void evalFromAnotherThreadWhileTheCellRunsFailsInsteadOfHanging() {
        Object message = value("String m;\ntry {\n    m = java.util.concurrent.CompletableFuture.supplyAsync(() -> String.valueOf(eval(\"1\"))).join();\n"
                + "} catch (java.util.concurrent.CompletionException e) {\n    m = e.getCause().getMessage();\n}\nm");
        assertTrue(String.valueOf(message).startsWith("eval, lineMagic and cellMagic run on the cell's own thread"),
                String.valueOf(message));
    }

    @Test
    void interruptingACellStopsCodeThatEvalStarted() throws Exception {
        CompletableFuture<CellResult> running = CompletableFuture.supplyAsync(() -> run("eval(\"while (true) {}\"); 1"));
        Thread.sleep(500);
        evaluator.interrupt();
        CellResult r = running.get(10, TimeUnit.SECONDS);
        assertTrue(r.interrupted(), String.valueOf(r.error()));
        assertEquals(2, value("1 + 1"));
    }

    @Test
    void aTimeLimitStopsAStatementThatRunsTooLong() {
        try (JShellEvaluator timed = new JShellEvaluator(
                EvaluatorOptions.defaults().withTimeout(Duration.ofMillis(300)), GeneralMagics.registry())) {
            CellResult r = timed.execute("Thread.sleep(5_000); 1", new RecordingCellIO());
            assertFalse(r.ok());
            assertEquals("EvaluationTimeout", r.error().ename());
            assertTrue(r.error().evalue().contains("300 ms"), r.error().evalue());
            CellResult next = timed.execute("40 + 2", new RecordingCellIO());
            assertEquals(42, next.value(), "the next cell runs");
            CellResult loop = timed.execute("while (true) {}", new RecordingCellIO());
            assertEquals("EvaluationTimeout", loop.error().ename());
        }
    }
}

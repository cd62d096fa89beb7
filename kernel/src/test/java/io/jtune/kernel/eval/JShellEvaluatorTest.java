package io.jtune.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.kernel.magic.GeneralMagics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JShellEvaluatorTest {
    static JShellEvaluator evaluator;

    @BeforeAll
    static void start() {
        evaluator = new JShellEvaluator(EvaluatorOptions.defaults(), GeneralMagics.registry());
        evaluator.awaitReady();
    }

    @AfterAll
    static void stop() {
        evaluator.close();
    }

    private static CellResult run(String code, RecordingCellIO io) {
        return evaluator.execute(code, io);
    }

    private static CellResult run(String code) {
        return run(code, new RecordingCellIO());
    }

    @Test
    void trailingExpressionIsTheCellValueAndStatementsAreNot() {
        CellResult r = run("int a = 20;\nint b = 22;\na + b");
        assertTrue(r.ok());
        assertTrue(r.hasValue());
        assertEquals(42, r.value());
        assertEquals("42", r.bundle().get("text/plain"));
        assertFalse(run("int c = 1;").hasValue());
        assertFalse(run("System.out.println(1)").hasValue(), "a void call shows nothing");
    }

    @Test
    void expressionEndingInSemicolonStillShowsItsValue() {
        CellResult r = run("\"Hello Out!\";");
        assertTrue(r.hasValue());
        assertEquals("Hello Out!", r.value());
    }

    @Test
    void variablesMethodsAndClassesPersistAndCanBeRedefined() {
        run("int twice(int x) { return 2 * x; }\nclass Box { int v = 7; }");
        assertEquals(14, run("twice(new Box().v)").value());
        run("int twice(int x) { return 3 * x; }");
        assertEquals(21, run("twice(7)").value());
        run("class Box { int v = 8; }");
        assertEquals(8, run("new Box().v").value());
    }

    @Test
    void printedOutputGoesToTheCellStreams() {
        RecordingCellIO io = new RecordingCellIO();
        run("System.out.println(\"héllo\"); System.err.print(\"warn\");", io);
        assertEquals("héllo\n", io.stdout.toString());
        assertEquals("warn", io.stderr.toString());
    }

    @Test
    void outputFromAThreadTheCellStartedIsNotLost() throws Exception {
        RecordingCellIO io = new RecordingCellIO();
        run("Thread t = new Thread(() -> System.out.println(\"from thread\")); t.start(); t.join();", io);
        assertEquals("from thread\n", io.stdout.toString());
    }

    @Test
    void longPrintingLoopShowsOutputWhileItRuns() {
        RecordingCellIO io = new RecordingCellIO();
        long start = System.nanoTime();
        run("for (int i = 0; i < 5; i++) { System.out.println(i); Thread.sleep(200); }", io);
        long end = System.nanoTime();
        assertTrue(io.firstStreamNanos > 0);
        assertTrue(end - io.firstStreamNanos > TimeUnit.MILLISECONDS.toNanos(500),
                "the first output arrived long before the cell ended");
        assertEquals("0\n1\n2\n3\n4\n", io.stdout.toString());
    }

    @Test
    void compileErrorNamesTheCellLineAndMarksTheSpan() {
        CellResult r = run("int ok = 1;\nint bad = missingName + 1;");
        assertFalse(r.ok());
        assertEquals("CompilationException", r.error().ename());
        assertEquals("cannot find symbol", r.error().evalue());
        assertTrue(r.error().traceback().get(0).startsWith("cell line 2: error: cannot find symbol"),
                r.error().traceback().toString());
        assertEquals("int bad = missingName + 1;", r.error().traceback().get(1), "the line as written");
        assertEquals("          ^^^^^^^^^^^", r.error().traceback().get(2));
    }

    @Test
    void everyCompileErrorOfACellIsReportedAndNothingRuns() {
        RecordingCellIO io = new RecordingCellIO();
        CellResult r = run("int ceA = \"x\";\nSystem.out.println(\"ran\");\nString ceB = ceA.length();\n"
                + "int ceC = ceA + ceB.size();\nvoid ceM() {}\nint ceD = nope;", io);
        assertFalse(r.ok());
        List<String> tb = r.error().traceback();
        List<String> heads = tb.stream().filter(l -> l.startsWith("cell line ")).toList();
        assertEquals(3, heads.size(), tb.toString());
        assertTrue(heads.get(0).startsWith("cell line 1: error: incompatible types"), heads.toString());
        assertTrue(heads.get(1).startsWith("cell line 3: error:"), heads.toString());
        assertTrue(heads.get(2).startsWith("cell line 4: error: cannot find symbol"), heads.toString());
        assertEquals("int ceC = ceA + ceB.size();", tb.get(tb.indexOf(heads.get(2)) + 1));
        assertEquals("", io.stdout.toString(), "no statement of a cell with compile errors runs");
        assertFalse(run("ceM()").ok(), "the method after the errors was not defined");
        assertFalse(run("ceA").ok(), "nothing of the cell was defined");
        assertFalse(run("$jtune$compileCheck$()").ok(), "the check leaves nothing behind");
        assertEquals(4, run("2 + 2").value());
    }

    @Test
    void aCellWithOneCompileErrorStillReportsOnlyThatOne() {
        CellResult r = run("int oeX = 1;\nint oeY = oeX + undefinedThing;\nint oeZ = oeX + 1;");
        assertEquals(1, r.error().traceback().stream().filter(l -> l.startsWith("cell line ")).count(),
                r.error().traceback().toString());
        assertEquals(1, run("oeX").value(), "the statements before the error ran, as before");
    }

    @Test
    void runtimeExceptionHasItsClassMessageAndCellLine() {
        CellResult r = run("int z = 0;\nint q = 5 / z;");
        assertFalse(r.ok());
        assertEquals("java.lang.ArithmeticException", r.error().ename());
        assertEquals("/ by zero", r.error().evalue());
        assertTrue(r.error().traceback().stream().anyMatch(l -> l.contains("cell line 2")), r.error().traceback().toString());
        assertTrue(r.error().traceback().stream().noneMatch(l -> l.contains("io.jtune.kernel")),
                "kernel frames are trimmed: " + r.error().traceback());
    }

    @Test
    void systemExitFailsTheCellAndTheNotebookGoesOn() {
        CellResult r = run("System.exit(3);");
        assertFalse(r.ok());
        assertEquals("SystemExit", r.error().ename());
        assertTrue(r.error().evalue().contains("System.exit(3)"));
        assertTrue(r.error().evalue().contains("restart the kernel"));
        assertEquals(2, run("1 + 1").value());
    }

    @Test
    void interruptStopsAnEndlessLoopAndTheNextCellRuns() throws Exception {
        CompletableFuture<CellResult> running = CompletableFuture.supplyAsync(() -> run("while (true) {}"));
        Thread.sleep(500);
        long t0 = System.nanoTime();
        evaluator.interrupt();
        CellResult r = running.get(5, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(r.interrupted(), String.valueOf(r.error()));
        assertTrue(millis < 1000, "stopped in " + millis + " ms");
        assertEquals(3, run("1 + 2").value());
    }

    @Test
    void interruptStopsASleepingCellAndSkipsTheRestOfIt() throws Exception {
        RecordingCellIO io = new RecordingCellIO();
        CompletableFuture<CellResult> running = CompletableFuture.supplyAsync(
                () -> run("Thread.sleep(60_000);\nSystem.out.println(\"after\");", io));
        Thread.sleep(500);
        evaluator.interrupt();
        CellResult r = running.get(5, TimeUnit.SECONDS);
        assertTrue(r.interrupted());
        assertEquals("", io.stdout.toString());
    }

    @Test
    void stdinReadsALineFromTheFrontEnd() {
        RecordingCellIO io = new RecordingCellIO();
        io.inputs.add("Ada");
        CellResult r = run("new java.util.Scanner(System.in).nextLine()", io);
        assertEquals("Ada", r.value());
    }

    @Test
    void textPrintedOnTheLineOfARead_isItsPrompt() {
        RecordingCellIO io = new RecordingCellIO();
        io.inputs.add("Ada");
        CellResult r = run("System.out.println(\"Welcome\");\nSystem.out.print(\"Näme: \");\n"
                + "String who = new java.util.Scanner(System.in).nextLine();\nwho", io);
        assertTrue(r.ok(), () -> r.error().toString());
        assertEquals("Ada", r.value(), io.stdout + " / " + io.prompts);
        assertEquals(List.of("Näme: "), io.prompts, "the partial line goes with the input request");
        assertEquals("Welcome\n", io.stdout.toString(), "complete lines still show as output, the prompt not twice");
    }

    @Test
    void stdinWithoutAFrontEndFailsWithAClearMessage() {
        CellResult r = run("new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine()");
        assertFalse(r.ok());
        assertTrue(r.error().evalue().contains("stdin is not available"), r.error().evalue());
    }

    @Test
    void lineMagicResultIsShownAndAsNameBindsItWithItsRealType() {
        CellResult r = run("%time 6 * 7");
        assertEquals(42, r.value());
        run("%time \"abc\" as word");
        CellResult typed = run("word.toUpperCase()");
        assertTrue(typed.ok(), String.valueOf(typed.error()));
        assertEquals("ABC", typed.value());
        run("%time List.of(\"a\", \"b\") as letters");
        assertEquals(2, run("letters.size()").value(), "a hidden JDK class binds as its public interface");
    }

    @Test
    void unknownMagicFailsTheCellWithASuggestion() {
        CellResult r = run("%lsmagik");
        assertFalse(r.ok());
        assertTrue(r.error().evalue().contains("%lsmagic"), r.error().evalue());
    }

    @Test
    void displayHelpersPublishToTheCell() {
        RecordingCellIO io = new RecordingCellIO();
        run("display(html(\"<b>x</b>\"));", io);
        assertEquals(1, io.displays.size());
        assertEquals("<b>x</b>", io.displays.get(0).get("text/html"));
    }

    @Test
    void aCellEndingInDisplayDoesNotShowTheDisplayIdAsItsValue() {
        RecordingCellIO io = new RecordingCellIO();
        CellResult r = run("display(html(\"<i>shown</i>\"));", io);
        assertEquals(1, io.displays.size());
        assertFalse(r.hasValue());
        assertTrue(run("display(\"a\").length()").hasValue(), "an expression on the id is still a value");
        assertTrue(CellRunner.isDisplayCall("display(html(\"(\"), \"text/html\")"));
        assertFalse(CellRunner.isDisplayCall("display(a) + display(b)"));
    }

    @Test
    void anInterruptWhileACellWaitsToStartStopsThatCell() throws Exception {
        CompletableFuture<CellResult> first = CompletableFuture.supplyAsync(() -> run("Thread.sleep(800);"));
        Thread.sleep(200);
        CompletableFuture<CellResult> queued = CompletableFuture.supplyAsync(() -> run("while (true) {}"));
        Thread.sleep(200);
        evaluator.interrupt();
        assertTrue(first.get(5, TimeUnit.SECONDS).interrupted());
        assertTrue(queued.get(5, TimeUnit.SECONDS).interrupted(), "the waiting cell did not start an endless loop");
        assertEquals(2, run("1 + 1").value());
    }

    @Test
    void completionReplacesThePartialMemberName() {
        String code = "int n = 1;\n\"abc\".len";
        var c = evaluator.complete(code, code.length());
        assertTrue(c.matches().contains("length()"), c.matches().toString());
        assertEquals(code.length() - 3, c.start());
        assertEquals(code.length(), c.end());
    }

    @Test
    void completionSeesVariablesOfEarlierCells() {
        run("int counterOfThings = 3;");
        var c = evaluator.complete("counterOf", 9);
        assertTrue(c.matches().contains("counterOfThings"), c.matches().toString());
        assertEquals(0, c.start());
    }

    @Test
    void isCompleteTellsCompleteIncompleteAndInvalid() {
        assertEquals("complete", evaluator.isComplete("int x = 1;").status());
        var inc = evaluator.isComplete("for (int i = 0; i < 3; i++) {");
        assertEquals("incomplete", inc.status());
        assertEquals("    ", inc.indent());
        assertEquals("complete", evaluator.isComplete("%lsmagic").status());
    }

    @Test
    void inspectShowsTheSignature() {
        var i = evaluator.inspect("String.valueOf(", "String.valueOf(".length());
        assertTrue(i.found());
        assertTrue(i.text().contains("valueOf"), i.text());
    }

    @Test
    void inspectAnswersForTheNameAtTheCursorWithoutParentheses() {
        var format = evaluator.inspect("String.format", "String.format".length());
        assertTrue(format.found(), "String.format");
        assertTrue(format.text().contains("String.format(String format, Object... args)"), format.text());
        var length = evaluator.inspect("\"hello\".length", 5 + "\"hello\".length".length() - 5);
        assertTrue(length.text().contains("int String.length()"), length.text());
        // the cursor inside the name, as Shift+Tab with the caret on "form"
        var middle = evaluator.inspect("var t = String.format", "var t = String.form".length());
        assertTrue(middle.text().contains("String.format("), middle.text());
        assertFalse(evaluator.inspect("int nothingHere = 1", 3).text().contains("format"));
    }
}

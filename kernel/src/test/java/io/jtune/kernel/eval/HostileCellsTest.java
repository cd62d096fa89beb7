package io.jtune.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.kernel.magic.GeneralMagics;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cells that used to leave the session broken: each fails visibly and the notebook goes on. */
class HostileCellsTest {
    private static final String LONG = "x".repeat(70_000);
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

    private static void assertSessionWorks(String variable, Object value) {
        assertEquals(3, run("1 + 2").value(), "a plain expression evaluates again");
        assertEquals(value, run(variable).value(), "the earlier variable kept its value");
    }

    @Test
    void aStringLiteralTooLongForAClassFileFailsAndTheSessionGoesOn() {
        run("int keptBeforeLong = 7;");
        CellResult r = run("String tooLong = \"" + LONG + "\";\nSystem.out.println(\"not run\");");
        assertFalse(r.ok(), "a snippet that was never evaluated is no success");
        assertEquals(ErrorFormatter.COMPILE_ERROR, r.error().ename());
        assertEquals("constant string too long", r.error().evalue());
        assertTrue(r.error().traceback().get(0).startsWith("cell line 1: error: constant string too long"),
                r.error().traceback().toString());
        for (String line : r.error().traceback()) {
            assertTrue(line.length() < 400, "the literal is not echoed whole: a line of " + line.length());
        }
        assertFalse(run("tooLong").ok(), "the failed declaration left no variable behind");
        assertSessionWorks("keptBeforeLong", 7);
    }

    @Test
    void tooLongLiteralsInMethodsClassesAndExpressionsFailEachTime() {
        run("String keptName = \"kept\";");
        for (String cell : List.of("String longText() { return \"" + LONG + "\"; }",
                "class LongHolder { String t = \"" + LONG + "\"; }",
                "\"" + LONG + "\"",
                "System.out.println(\"" + LONG + "\");")) {
            CellResult r = run(cell);
            assertFalse(r.ok(), cell.substring(0, 30));
            assertEquals("constant string too long", r.error().evalue());
            assertSessionWorks("keptName", "kept");
        }
    }

    @Test
    void aForwardReferenceIsStillANoteAndWorksOnceDefined() {
        RecordingCellIO io = new RecordingCellIO();
        CellResult r = run("int usesLater() { return definedLater() + 1; }", io);
        assertTrue(r.ok(), String.valueOf(r.error()));
        assertTrue(io.stderr.toString().contains("cannot be used until method definedLater() is defined"),
                io.stderr.toString());
        run("int definedLater() { return 41; }");
        assertEquals(42, run("usesLater()").value());
    }

    @Test
    void longLinesInCompileErrorsAreCutAroundTheError() {
        List<String> tb = new ArrayList<>();
        String line = "a".repeat(1000) + "BAD" + "b".repeat(1000);
        ErrorFormatter.marked(line, 1000, 3, tb);
        assertTrue(tb.get(0).length() < ErrorFormatter.MAX_LINE + 60, tb.get(0));
        assertTrue(tb.get(0).startsWith("...") && tb.get(0).endsWith("(the line has 2003 characters)"), tb.get(0));
        assertEquals("BAD", tb.get(0).substring(tb.get(1).indexOf('^'), tb.get(1).indexOf('^') + 3));
        tb.clear();
        ErrorFormatter.marked("int x = y;", 8, 1, tb);
        assertEquals(List.of("int x = y;", "        ^"), tb, "short lines are shown as written");
    }

    @Test
    void aCellThatNullsTheStandardStreamsBreaksNothingAfterIt() {
        run("int keptBeforeNull = 5;");
        RecordingCellIO io = new RecordingCellIO();
        CellResult r = run("System.setOut(null); System.setErr(null);", io);
        assertTrue(r.ok(), String.valueOf(r.error()));
        assertTrue(io.stderr.toString().contains("System.out and System.err replaced"), io.stderr.toString());
        RecordingCellIO next = new RecordingCellIO();
        assertTrue(run("System.out.println(\"out again\"); System.err.println(\"err again\");", next).ok());
        assertEquals("out again\n", next.stdout.toString());
        assertEquals("err again\n", next.stderr.toString());
        assertSessionWorks("keptBeforeNull", 5);
    }

    @Test
    void aStreamOfTheCellsOwnServesThatCellOnly() {
        RecordingCellIO io = new RecordingCellIO();
        CellResult r = run("var captured = new java.io.ByteArrayOutputStream();\n"
                + "System.setOut(new java.io.PrintStream(captured, true));\nSystem.out.print(\"kept aside\");", io);
        assertTrue(r.ok(), String.valueOf(r.error()));
        assertEquals("", io.stdout.toString(), "within the cell, its own stream gets the output");
        assertEquals("kept aside", run("captured.toString()").value());
        RecordingCellIO next = new RecordingCellIO();
        run("System.out.println(\"notebook\")", next);
        assertEquals("notebook\n", next.stdout.toString());
    }

    @Test
    void anExitReachedThroughReflectionIsReportedAsSystemExit() {
        CellExitError exit = new CellExitError("System.exit(5)");
        assertNotNull(CellExitError.in(new InvocationTargetException(exit)));
        assertEquals("SystemExit", CellExitError.in(new RuntimeException(new InvocationTargetException(exit)))
                .toCellError().ename());
    }
}

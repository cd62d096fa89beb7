package io.jtune.kernel.eval;

import io.jtune.kernel.magic.MagicContext;
import io.jtune.kernel.magic.MagicException;
import io.jtune.kernel.magic.MagicInvoker;
import io.jtune.kernel.magic.MagicRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Runs the code of a cell, on the {@code jtune-jshell} thread: splits it into Java and magics
 * ({@link CellParser}), feeds the Java to JShell snippet by snippet, runs the magics, and turns
 * each outcome (a value, a compile error, an exception, a stop) into a {@link CellResult}.
 * The session ({@link JShellEvaluator}) owns the threads; this class owns what one cell does.
 */
final class CellRunner {
    private final JShellEvaluator session;
    private final JShell jshell;
    private final CellExecutionControl control;
    private final EvaluatorOptions options;
    private final MagicRegistry magics;
    private volatile Thread magicThread;
    private Object lastSnippetValue;
    /** Set when a snippet failed in code generation: JShell's compiler must be renewed before the next one. */
    private boolean compilerSpoiled;

    CellRunner(JShellEvaluator session, JShell jshell, CellExecutionControl control) {
        this.session = session;
        this.jshell = jshell;
        this.control = control;
        this.options = session.options();
        this.magics = session.magics();
    }

    /**
     * Runs a cell: its Java snippet by snippet and its magics, in order; stops at the first failure.
     * An exit refused on another thread during the cell fails it too ({@link ExitGuard}); standard
     * streams the cell left replaced are put back, with a note.
     */
    CellResult runCell(String code, CellIO io) {
        long refusals = ExitGuard.refusals();
        try {
            return ExitGuard.failIfRefusedSince(refusals, runSegments(code, io));
        } finally {
            List<String> replaced = OutputRouter.reclaim();
            if (!replaced.isEmpty()) {
                OutputRouter.err().println("note: the cell left " + String.join(" and ", replaced)
                        + " replaced; jtune puts the notebook's own streams back after each cell");
            }
        }
    }

    private CellResult runSegments(String code, CellIO io) {
        Map<String, Integer> snippetLines = new HashMap<>();
        CellResult last = CellResult.empty();
        for (CellParser.Segment seg : CellParser.parse(code)) {
            if (control.stopRequested()) {
                return CellResult.failed(stopError());
            }
            if (seg instanceof CellParser.JavaCode j) {
                last = runJava(j.code(), j.line(), snippetLines);
            } else if (seg instanceof CellParser.LineMagicCall m) {
                last = runMagic(() -> MagicInvoker.runLine(magics, m.name(), m.args(), context(io)));
            } else if (seg instanceof CellParser.CellMagicCall m) {
                last = runMagic(() -> MagicInvoker.runCell(magics, m.name(), m.args(), m.body(), context(io)));
            }
            if (!last.ok()) {
                return last;
            }
        }
        return last;
    }

    /** Why the running cell stopped: the user's interrupt, or the time limit of one statement. */
    CellError stopError() {
        if (control.timedOut()) {
            String text = "The statement ran longer than the time limit of " + options.timeout().toMillis()
                    + " ms (JTUNE_TIMEOUT) and was stopped."
                    + ("abandoned".equals(control.lastStopOutcome()) ? " Its thread did not stop and is left running." : "");
            return new CellError("EvaluationTimeout", text, List.of("EvaluationTimeout: " + text));
        }
        return CellError.interrupted(control.lastStopOutcome());
    }

    private CellResult runMagic(Callable<Object> call) {
        magicThread = Thread.currentThread();
        try {
            Object value = call.call();
            return value == null ? CellResult.empty() : CellResult.value(value);
        } catch (InterruptedException e) {
            return CellResult.failed(CellError.interrupted("stopped"));
        } catch (MagicException e) {
            if (control.stopRequested()) {
                return CellResult.failed(stopError());
            }
            return CellResult.failed(new CellError("MagicException", e.getMessage(),
                    List.of(e.getMessage().split("\n"))));
        } catch (Exception e) {
            return CellResult.failed(new CellError(e.getClass().getName(), String.valueOf(e.getMessage()),
                    List.of(e.toString())));
        } catch (OutOfMemoryError e) {
            return CellResult.failed(MemoryReport.of(e, jshell));
        } finally {
            magicThread = null;
            Thread.interrupted(); // do not leak an interrupt into the next cell
        }
    }

    /** Evaluates Java source snippet by snippet; stops at the first failing one. */
    CellResult runJava(String code, int firstLine, Map<String, Integer> snippetLines) {
        SourceCodeAnalysis sca = jshell.sourceCodeAnalysis();
        String remaining = code;
        int offset = 0;
        CellResult result = CellResult.empty();
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(remaining);
            if (ci.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                break;
            }
            boolean complete = ci.completeness().isComplete();
            String source = (complete ? ci.source() : remaining).stripLeading();
            String rest = complete ? ci.remaining() : "";
            int consumed = remaining.length() - rest.length();
            int lead = 0;
            while (lead < consumed && Character.isWhitespace(remaining.charAt(lead))) {
                lead++;
            }
            int line = firstLine + (int) code.substring(0, offset + lead).chars().filter(c -> c == '\n').count();
            result = evalSnippet(source, line, snippetLines);
            if (!result.ok()) {
                CellResult failed = rejected(result, source, rest, line + (int) remaining.substring(lead, consumed).chars()
                        .filter(c -> c == '\n').count());
                if (compilerSpoiled) {
                    compilerSpoiled = false;
                    UnevaluatedSnippets.renewCompiler(jshell);
                }
                return failed;
            }
            offset += consumed;
            remaining = rest;
        }
        return result;
    }

    /** A failed snippet's result; for a compile error, with the errors of the code after it too. */
    private CellResult rejected(CellResult failed, String source, String rest, int restLine) {
        CellError e = failed.error();
        if (!e.ename().equals(ErrorFormatter.COMPILE_ERROR) || rest.isBlank()) {
            return failed;
        }
        List<String> later = LaterCompileErrors.in(jshell, source, rest, restLine);
        if (later.isEmpty()) {
            return failed;
        }
        List<String> tb = new java.util.ArrayList<>(e.traceback());
        tb.addAll(later);
        return CellResult.failed(new CellError(e.ename(), e.evalue(), tb));
    }

    /**
     * {@code jshell.eval(source)}. When the compiler runs out of memory (JShell wraps that in an
     * InternalError, thrown before the snippet runs), the heap is usually full of a notebook
     * variable's data and the GC gave up on a heuristic ("GC overhead limit exceeded"): the memory
     * cushion is released, a full collection runs, and the compile is tried once more, so that the
     * cell that frees the data ({@code x = null;}) still runs.
     */
    private List<SnippetEvent> compileAndRun(String source) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jshell.eval(source);
            } catch (InternalError e) {
                OutOfMemoryError oom = outOfMemoryIn(e);
                if (oom == null) {
                    throw e;
                }
                if (attempt == 2) {
                    throw new CompilerOutOfMemory(oom);
                }
                MemoryCushion.release();
                System.gc();
            }
        }
    }

    private static OutOfMemoryError outOfMemoryIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        return null;
    }

    /** The compiler ran out of memory twice on one snippet. */
    private static final class CompilerOutOfMemory extends RuntimeException {
        final transient OutOfMemoryError oom;

        CompilerOutOfMemory(OutOfMemoryError oom) {
            super(null, null, false, false);
            this.oom = oom;
        }
    }

    private CellResult evalSnippet(String source, int line, Map<String, Integer> snippetLines) {
        if (control.stopRequested()) {
            return CellResult.failed(stopError());
        }
        control.resetLast();
        lastSnippetValue = null;
        List<SnippetEvent> events;
        try {
            events = compileAndRun(source);
        } catch (CompilerOutOfMemory e) {
            compilerSpoiled = true;
            return CellResult.failed(MemoryReport.of(e.oom, jshell));
        }
        CellResult result = CellResult.empty();
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue; // another snippet's status changed because of this one
            }
            Snippet sn = e.snippet();
            snippetLines.put(sn.id(), line);
            if (e.status() == Snippet.Status.REJECTED) {
                return CellResult.failed(ErrorFormatter.compileError(source, line, jshell.diagnostics(sn).toList()));
            }
            if (UnevaluatedSnippets.notEvaluated(jshell, e)) {
                compilerSpoiled = true;
                return CellResult.failed(UnevaluatedSnippets.fail(jshell, e, source, line));
            }
            if (control.stopRequested()) {
                return CellResult.failed(stopError());
            }
            if (e.exception() != null) {
                Throwable real = control.lastThrown();
                if (real instanceof OutOfMemoryError oom) {
                    return CellResult.failed(MemoryReport.of(oom, jshell));
                }
                if (real instanceof CellExitError exit) {
                    return CellResult.failed(new CellError("SystemExit", exit.getMessage(),
                            List.of("SystemExit: " + exit.getMessage())));
                }
                if (CellExitError.in(real) != null) {
                    // reached through reflection, which wraps it
                    return CellResult.failed(CellExitError.in(real).toCellError());
                }
                return CellResult.failed(ErrorFormatter.exception(e.exception(), snippetLines));
            }
            if (UnevaluatedSnippets.waitsForDefinitions(jshell, e)) {
                OutputRouter.err().println("note: " + describe(sn) + " cannot be used until "
                        + String.join(", ", jshell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) sn).toList())
                        + " is defined");
            }
            lastSnippetValue = control.lastValue();
            if (showsValue(sn)) {
                result = CellResult.value(control.lastValue());
            }
        }
        return result;
    }

    private static boolean showsValue(Snippet sn) {
        return switch (sn.subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND -> !isDisplayCall(sn.source());
            default -> false;
        };
    }

    /**
     * Whether a snippet is just {@code display(...)}: it already showed its argument, so the display
     * id it returns is not shown again as the cell's value.
     */
    static boolean isDisplayCall(String source) {
        String s = source.strip();
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        if (!s.matches("(?s)display\\s*\\(.*\\)")) {
            return false;
        }
        int depth = 0;
        boolean inString = false;
        for (int i = s.indexOf('('); i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i == s.length() - 1; // the call's own closing parenthesis ends the snippet
            }
        }
        return false;
    }

    private static String describe(Snippet sn) {
        String s = sn.source().strip();
        int brace = s.indexOf('{');
        return brace > 0 ? s.substring(0, brace).strip() : s;
    }

    private MagicContext context(CellIO io) {
        return new NotebookContext(session, io);
    }

    /** The value of the last snippet run, shown or not: what {@code eval(code)} returns for a declaration. */
    Object lastSnippetValue() {
        return lastSnippetValue;
    }

    /** Interrupts a magic running on the JShell thread (its blocking calls end). */
    void interruptMagic() {
        Thread m = magicThread;
        if (m != null) {
            m.interrupt();
        }
    }
}

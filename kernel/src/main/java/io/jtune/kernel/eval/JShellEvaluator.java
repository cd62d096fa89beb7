package io.jtune.kernel.eval;

import io.jtune.kernel.log.Log;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderers;
import io.jtune.kernel.magic.MagicContext;
import io.jtune.kernel.magic.MagicException;
import io.jtune.kernel.magic.MagicInvoker;
import io.jtune.kernel.magic.MagicRegistry;
import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * The notebook's Java: one in-process JShell, driven from one thread of its own ({@code
 * jtune-jshell}); each snippet runs on a fresh cell thread (see {@link CellExecutionControl}).
 * Callers (the kernel's shell thread, the headless runner) block until a cell is done; {@link
 * #interrupt()} may be called from any other thread.
 */
public final class JShellEvaluator implements AutoCloseable {
    private final EvaluatorOptions options;
    private final MagicRegistry magics;
    /** The evaluator whose cells a thread runs (cell threads and the threads they start inherit it). */
    private static final InheritableThreadLocal<JShellEvaluator> OWNER = new InheritableThreadLocal<>();
    private static volatile JShellEvaluator latest;

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jtune-jshell");
        t.setDaemon(true);
        return t;
    });
    private final List<Path> addedClasspath = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private CellExecutionControl control;
    private JShell jshell;
    private CodeAnalysis analysis;
    private volatile Thread magicThread;
    private volatile Thread jshellThread;
    private volatile CellIO currentIO = CellIO.SILENT;
    private Object lastSnippetValue;
    private boolean started;
    private final java.util.concurrent.atomic.AtomicLong interrupts = new java.util.concurrent.atomic.AtomicLong();

    public JShellEvaluator(EvaluatorOptions options, MagicRegistry magics) {
        this.options = options;
        this.magics = magics;
        OutputRouter.install();
    }

    /**
     * Starts building JShell on the evaluator's thread and returns at once; cells wait for it.
     * The kernel calls this after its sockets are up, so kernel_info is answered without waiting.
     */
    public JShellEvaluator start() {
        synchronized (ready) {
            if (!started) {
                started = true;
                thread.execute(this::init);
            }
        }
        return this;
    }

    /** Blocks until JShell is built and the startup snippets ran; rethrows a failure to start. */
    public void awaitReady() {
        start();
        try {
            ready.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while JShell starts", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("JShell failed to start: " + e.getCause(), e.getCause());
        }
    }

    private void init() {
        try {
            OWNER.set(this);
            jshellThread = Thread.currentThread();
            latest = this;
            control = new CellExecutionControl();
            control.setTimeoutMillis(options.timeout().toMillis());
            jshell = JShell.builder()
                    .executionEngine(new Provider(control), Map.of())
                    .out(new PrintStream(PrintStream.nullOutputStream()))
                    .err(new PrintStream(PrintStream.nullOutputStream()))
                    .in(InputStream.nullInputStream())
                    .compilerOptions(options.compilerOptions().toArray(String[]::new))
                    .build();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    jshell.addToClasspath(entry);
                }
            }
            for (Path p : options.classpath()) {
                jshell.addToClasspath(p.toString());
                addedClasspath.add(p);
            }
            analysis = new CodeAnalysis(jshell);
            List<String> startup = new ArrayList<>(EvaluatorOptions.DEFAULT_IMPORTS);
            startup.addAll(options.startupSnippets());
            for (String s : startup) {
                CellResult r = runJava(s, 1, new HashMap<>());
                if (!r.ok()) {
                    Log.warn("startup snippet failed: " + s + ": " + r.error().evalue());
                }
            }
            ready.complete(null);
        } catch (Throwable t) {
            Log.warn("JShell failed to start", t);
            ready.completeExceptionally(t);
        }
    }

    /** Runs a cell, sending its output to {@code io}; blocks until it is done. */
    public CellResult execute(String code, CellIO io) {
        long asked = interrupts.get();
        return onJShellThread(() -> {
            OutputRouter.begin(io);
            currentIO = io;
            try {
                if (interrupts.get() != asked) {
                    // interrupted while it waited (for JShell to start, or behind another cell)
                    return CellResult.failed(CellError.interrupted("stopped"));
                }
                control.clearStopRequest();
                return rendered(runCell(code, io));
            } finally {
                OutputRouter.flushAll();
                currentIO = CellIO.SILENT;
            }
        });
    }

    /** Renders the value of a cell on a cell thread (a toString may be user code that loops). */
    private CellResult rendered(CellResult r) {
        if (!r.ok() || !r.hasValue()) {
            return r;
        }
        try {
            return r.withBundle((MimeBundle) control.callOnCellThread(() -> Renderers.render(r.value())));
        } catch (ExecutionControl.StoppedException e) {
            return CellResult.failed(stopError());
        } catch (Exception e) {
            return r.withBundle(MimeBundle.text(String.valueOf(r.value())));
        }
    }

    /**
     * Evaluates an expression for the protocol's user_expressions: its rendered value, or an error.
     * Output it prints is dropped.
     */
    public CellResult evaluateExpression(String expression) {
        return onJShellThread(() -> {
            OutputRouter.begin(CellIO.SILENT);
            try {
                control.clearStopRequest();
                return rendered(runJava(expression, 1, new HashMap<>()));
            } finally {
                OutputRouter.flushAll();
            }
        });
    }

    /**
     * Stops the running cell, if any: its loops and blocking calls end, the rest of the cell is
     * skipped and its result reports the interruption. Safe to call from any thread.
     */
    public void interrupt() {
        interrupts.incrementAndGet();
        Thread m = magicThread;
        if (m != null) {
            m.interrupt();
        }
        if (control != null) {
            control.stopCell();
        }
    }

    /** Runs {@code task} where user code runs (for comm handlers), with output going to {@code io}. */
    public void runUserCallback(Runnable task, CellIO io) {
        onJShellThread(() -> {
            OutputRouter.begin(io);
            currentIO = io;
            try {
                control.clearStopRequest();
                control.callOnCellThread(() -> {
                    task.run();
                    return null;
                });
            } catch (Exception e) {
                Throwable t = control.lastThrown() != null ? control.lastThrown() : e;
                System.err.println("comm handler failed: " + t);
            } finally {
                OutputRouter.flushAll();
                currentIO = CellIO.SILENT;
            }
            return null;
        });
    }

    public CodeAnalysis.Completion complete(String code, int cursor) {
        return onJShellThread(() -> analysis.complete(code, cursor, magics));
    }

    public CodeAnalysis.Inspection inspect(String code, int cursor) {
        return onJShellThread(() -> analysis.inspect(code, cursor, magics));
    }

    public CodeAnalysis.IsComplete isComplete(String code) {
        return onJShellThread(() -> analysis.isComplete(code));
    }

    /** The extra class path added so far (options and magics). */
    public List<Path> classpath() {
        return List.copyOf(addedClasspath);
    }

    public MagicRegistry magics() {
        return magics;
    }

    private <T> T onJShellThread(Callable<T> task) {
        awaitReady();
        try {
            return thread.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the evaluator", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
        }
    }

    // ---- called back from code in a cell (eval, lineMagic, cellMagic, getKernelInstance) ----

    /**
     * The evaluator whose cell the calling thread runs: the one that started the thread (cell
     * threads and the threads they start inherit it), else the last one started in this JVM.
     *
     * @throws IllegalStateException when no notebook runs in this JVM
     */
    static JShellEvaluator forCurrentThread() {
        JShellEvaluator e = OWNER.get();
        if (e == null) {
            e = latest;
        }
        if (e == null) {
            throw new IllegalStateException("no jtune notebook runs in this JVM");
        }
        return e;
    }

    /**
     * Runs {@code task} for code in a cell. On the running cell's own thread (or the evaluator's)
     * it runs at once, inside the cell: JShell is not busy, it waits for that thread. From another
     * thread it waits for the evaluator, which is refused while a cell runs: that cell may well be
     * waiting for the calling thread (a parallel stream, an executor), and both would hang.
     */
    private <T> T fromCell(Callable<T> task) {
        if (control != null && !control.onCellThread() && Thread.currentThread() != jshellThread
                && control.cellRunning()) {
            throw new NotebookException("eval, lineMagic and cellMagic run on the cell's own thread while the cell"
                    + " runs; " + Thread.currentThread().getName() + " is another thread. Call them from the cell"
                    + " itself (outside parallel streams, executors and threads it starts).");
        }
        if (control != null && (control.onCellThread() || Thread.currentThread() == jshellThread)) {
            try {
                return task.call();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new NotebookException(e.getMessage(), e);
            }
        }
        return onJShellThread(task);
    }

    /** {@code eval(code)} in a cell: runs Java and magics in the notebook's scope, returns the last value. */
    Object evalFromCell(String code) {
        return fromCell(() -> {
            CellResult r = runCell(code, currentIO);
            if (r.ok()) {
                return r.hasValue() ? r.value() : lastSnippetValue;
            }
            if (r.interrupted() || control.stopRequested()) {
                throw new CellStoppedError();
            }
            Throwable thrown = control.lastThrown();
            CellError err = r.error();
            String message = "eval failed: " + err.ename() + ": " + err.evalue();
            if (thrown != null && !(thrown instanceof CellStoppedError)) {
                throw new NotebookException(message, thrown);
            }
            throw new NotebookException(message + (err.traceback().size() > 1
                    ? "\n" + String.join("\n", err.traceback().subList(1, err.traceback().size())) : ""));
        });
    }

    /** {@code lineMagic(name, args)} in a cell: the magic as if written {@code %name args} on a line of its own. */
    Object lineMagicFromCell(String name, String rawArgs) {
        return fromCell(() -> magicFromCell(() -> MagicInvoker.runLine(magics, name, rawArgs, context(currentIO))));
    }

    /** {@code cellMagic(name, args, body)} in a cell: the magic as if it began a cell of its own. */
    Object cellMagicFromCell(String name, String rawArgs, String body) {
        return fromCell(() -> magicFromCell(
                () -> MagicInvoker.runCell(magics, name, rawArgs, body, context(currentIO))));
    }

    private Object magicFromCell(Callable<Object> call) {
        try {
            return call.call();
        } catch (MagicException e) {
            if (control.stopRequested()) {
                throw new CellStoppedError();
            }
            throw new NotebookException(e.getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellStoppedError();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            if (control.stopRequested()) {
                throw new CellStoppedError();
            }
            throw new NotebookException(String.valueOf(e), e);
        }
    }

    /** Adds class path entries for code in a cell (the kernel handle). */
    void addClasspathFromCell(List<Path> entries) {
        fromCell(() -> {
            entries.forEach(this::addClasspathEntry);
            return null;
        });
    }

    // ---- on the jtune-jshell thread from here on ----

    private CellResult runCell(String code, CellIO io) {
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
    private CellError stopError() {
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
                return result;
            }
            offset += consumed;
            remaining = rest;
        }
        return result;
    }

    private CellResult evalSnippet(String source, int line, Map<String, Integer> snippetLines) {
        if (control.stopRequested()) {
            return CellResult.failed(stopError());
        }
        control.resetLast();
        lastSnippetValue = null;
        List<SnippetEvent> events = jshell.eval(source);
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
            if (control.stopRequested()) {
                return CellResult.failed(stopError());
            }
            if (e.exception() != null) {
                Throwable real = control.lastThrown();
                if (real instanceof CellExitError exit) {
                    return CellResult.failed(new CellError("SystemExit", exit.getMessage(),
                            List.of("SystemExit: " + exit.getMessage())));
                }
                return CellResult.failed(ErrorFormatter.exception(e.exception(), snippetLines));
            }
            if (e.status() == Snippet.Status.RECOVERABLE_DEFINED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                if (sn instanceof jdk.jshell.DeclarationSnippet ds) {
                    System.err.println("note: " + describe(sn) + " cannot be used until "
                            + String.join(", ", jshell.unresolvedDependencies(ds).toList()) + " is defined");
                }
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
        return new NotebookContext(this, io);
    }

    /** Runs a cell's worth of code for a magic, on the JShell thread it is already on. */
    CellResult runNested(String code, CellIO io) {
        return runCell(code, io);
    }

    /** Adds a class path entry once; on the JShell thread. */
    void addClasspathEntry(Path entry) {
        Path abs = entry.toAbsolutePath().normalize();
        if (!addedClasspath.contains(abs)) {
            jshell.addToClasspath(abs.toString());
            addedClasspath.add(abs);
        }
    }

    EvaluatorOptions options() {
        return options;
    }

    @Override
    public void close() {
        interrupt();
        thread.shutdownNow();
        if (jshell != null) {
            try {
                jshell.close();
            } catch (RuntimeException e) {
                Log.debug("closing JShell: " + e);
            }
        }
    }

    /** Hands JShell our execution control. */
    private record Provider(CellExecutionControl control) implements ExecutionControlProvider {
        @Override
        public String name() {
            return "jtune";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return control;
        }
    }
}

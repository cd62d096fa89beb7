package io.jtune.kernel.eval;

import io.jtune.kernel.log.Log;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderers;
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
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * The notebook's session: one in-process JShell, driven from one thread of its own ({@code
 * jtune-jshell}); each snippet runs on a fresh cell thread (see {@link CellExecutionControl}).
 * This class owns the lifecycle (start, interrupt, close) and the threads; what one cell does is
 * {@link CellRunner}'s, and what code in a cell may call back is {@link CellCallbacks}'.
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
    private CellRunner runner;
    private volatile Thread jshellThread;
    private volatile CellIO currentIO = CellIO.SILENT;
    private boolean started;
    private final java.util.concurrent.atomic.AtomicLong interrupts = new java.util.concurrent.atomic.AtomicLong();

    public JShellEvaluator(EvaluatorOptions options, MagicRegistry magics) {
        this.options = options;
        this.magics = magics;
        OutputRouter.install();
        ExitGuard.arm();
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
            runner = new CellRunner(this, jshell, control);
            List<String> startup = new ArrayList<>(EvaluatorOptions.DEFAULT_IMPORTS);
            startup.addAll(options.startupSnippets());
            for (String s : startup) {
                CellResult r = runner.runJava(s, 1, new HashMap<>());
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
                MemoryCushion.restore();
                return rendered(runner.runCell(code, io));
            } catch (OutOfMemoryError e) {
                // out of memory on this thread (compiling, rendering): the cell fails, the kernel goes on
                return CellResult.failed(MemoryReport.of(e, jshell));
            } catch (InternalError e) {
                // JShell wraps a compiler's OutOfMemoryError (in its source analysis, say) in an InternalError
                OutOfMemoryError oom = e.getCause() instanceof OutOfMemoryError o ? o : null;
                if (oom == null) {
                    throw e;
                }
                return CellResult.failed(MemoryReport.of(oom, jshell));
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
            return CellResult.failed(runner.stopError());
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
                return rendered(runner.runJava(expression, 1, new HashMap<>()));
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
        CellRunner r = runner;
        if (r != null) {
            r.interruptMagic();
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
                OutputRouter.err().println("comm handler failed: " + t);
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

    /** Runs {@code task} on the evaluator's thread, after JShell is ready; blocks until it is done. */
    <T> T onJShellThread(Callable<T> task) {
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

    CellExecutionControl control() {
        return control;
    }

    CellRunner runner() {
        return runner;
    }

    /** Where the output of the running cell goes ({@link CellIO#SILENT} between cells). */
    CellIO currentIO() {
        return currentIO;
    }

    /** Whether the calling thread is the evaluator's own ({@code jtune-jshell}). */
    boolean onJShellThreadNow() {
        return Thread.currentThread() == jshellThread;
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

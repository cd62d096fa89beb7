package io.jtune.kernel.eval;

import io.jtune.kernel.magic.MagicException;
import io.jtune.kernel.magic.MagicInvoker;
import io.jtune.kernel.magic.MagicRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What code in a cell may ask of the notebook that runs it: evaluate more code, run a magic, grow
 * the class path. Cells reach it through {@code io.jtune.kernel.api} ({@code eval}, {@code
 * lineMagic}, {@code cellMagic}, {@code getKernelInstance()}), which turns a {@link Failure} into
 * the {@code NotebookException} cells catch.
 *
 * <p>On the running cell's own thread (or the evaluator's) a call runs at once, inside the cell:
 * JShell is not busy, it waits for that thread. From another thread it waits for the evaluator,
 * which is refused while a cell runs: that cell may well be waiting for the calling thread (a
 * parallel stream, an executor), and both would hang.
 */
public final class CellCallbacks {
    private final JShellEvaluator session;

    private CellCallbacks(JShellEvaluator session) {
        this.session = session;
    }

    /**
     * The callbacks of the notebook whose cell the calling thread runs: the one that started the
     * thread (cell threads and the threads they start inherit it), else the last one started in
     * this JVM.
     *
     * @throws IllegalStateException when no notebook runs in this JVM
     */
    public static CellCallbacks current() {
        return new CellCallbacks(JShellEvaluator.forCurrentThread());
    }

    /** A call from a cell that failed: the message says why, the cause is what the cell's code threw. */
    public static final class Failure extends RuntimeException {
        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** {@code eval(code)}: runs Java and magics in the notebook's scope, returns the last value. */
    public Object eval(String code) {
        return fromCell(() -> {
            CellExecutionControl control = session.control();
            CellResult r = session.runner().runCell(code, session.currentIO());
            if (r.ok()) {
                return r.hasValue() ? r.value() : session.runner().lastSnippetValue();
            }
            if (r.interrupted() || control.stopRequested()) {
                throw new CellStoppedError();
            }
            Throwable thrown = control.lastThrown();
            CellError err = r.error();
            String message = "eval failed: " + err.ename() + ": " + err.evalue();
            if (thrown != null && !(thrown instanceof CellStoppedError)) {
                throw new Failure(message, thrown);
            }
            throw new Failure(message + (err.traceback().size() > 1
                    ? "\n" + String.join("\n", err.traceback().subList(1, err.traceback().size())) : ""), null);
        });
    }

    /** {@code lineMagic(name, args)}: the magic as if written {@code %name args} on a line of its own. */
    public Object lineMagic(String name, String rawArgs) {
        return fromCell(() -> magic(() -> MagicInvoker.runLine(
                session.magics(), name, rawArgs, new NotebookContext(session, session.currentIO()))));
    }

    /** {@code cellMagic(name, args, body)}: the magic as if it began a cell of its own. */
    public Object cellMagic(String name, String rawArgs, String body) {
        return fromCell(() -> magic(() -> MagicInvoker.runCell(
                session.magics(), name, rawArgs, body, new NotebookContext(session, session.currentIO()))));
    }

    /** Adds class path entries (absolute) to the notebook's compiler and class loader. */
    public void addToClasspath(List<Path> entries) {
        fromCell(() -> {
            entries.forEach(session::addClasspathEntry);
            return null;
        });
    }

    /** The class path entries added to the notebook so far (options, magics, cells), in order. */
    public List<Path> classpath() {
        return session.classpath();
    }

    /** The notebook's magics; magics registered here work in the next cell. */
    public MagicRegistry magics() {
        return session.magics();
    }

    /** How the notebook was set up. */
    public EvaluatorOptions options() {
        return session.options();
    }

    private <T> T fromCell(Callable<T> task) {
        CellExecutionControl control = session.control();
        boolean inside = control != null && (control.onCellThread() || session.onJShellThreadNow());
        if (control != null && !inside && control.cellRunning()) {
            throw new Failure("eval, lineMagic and cellMagic run on the cell's own thread while the cell"
                    + " runs; " + Thread.currentThread().getName() + " is another thread. Call them from the cell"
                    + " itself (outside parallel streams, executors and threads it starts).", null);
        }
        if (inside) {
            try {
                return task.call();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new Failure(e.getMessage(), e);
            }
        }
        return session.onJShellThread(task);
    }

    private Object magic(Callable<Object> call) {
        CellExecutionControl control = session.control();
        try {
            return call.call();
        } catch (MagicException e) {
            if (control.stopRequested()) {
                throw new CellStoppedError();
            }
            throw new Failure(e.getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellStoppedError();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            if (control.stopRequested()) {
                throw new CellStoppedError();
            }
            throw new Failure(String.valueOf(e), e);
        }
    }
}

package io.jtune.kernel.api;

import io.jtune.kernel.eval.CellCallbacks;
import io.jtune.kernel.magic.MagicArgs;
import java.util.function.Supplier;
import java.util.List;

/**
 * The notebook functions of IJava and JJava, which every cell gets through
 * {@code import static io.jtune.kernel.api.NotebookFunctions.*;} (the display functions are in
 * {@link io.jtune.kernel.api.Notebook}):
 *
 * <pre>{@code
 * int n = (int) eval("1 + 2");
 * List<String> added = lineMagic("jars", List.of("lib/*.jar"));
 * List<String> same = %jars lib/*.jar          // a magic in an expression desugars to lineMagic
 * getKernelInstance().classpath();
 * }</pre>
 *
 * <p>They run inside the cell, on the cell's own thread. Called from another thread while a cell
 * runs (a parallel stream, an executor) they throw a {@link NotebookException} rather than wait
 * for a cell that may be waiting for that thread; once no cell runs, they run in turn.
 */
public final class NotebookFunctions {
    private NotebookFunctions() {}

    /**
     * Evaluates {@code code} (Java and magics, as a cell) in the notebook's scope and returns the
     * live value of its last expression or initialised variable (null for other statements).
     * Declarations it makes stay in the notebook.
     *
     * @throws NotebookException when the code does not compile or throws (the thrown exception is
     *     the cause)
     */
    public static Object eval(String code) {
        return call(() -> CellCallbacks.current().eval(code));
    }

    /**
     * Runs the line magic {@code name} with {@code args} as its words, as {@code %name args} would
     * (words holding spaces or quotes are passed as one word), and returns its result.
     *
     * @throws NotebookException when the magic is unknown or fails, with the magic's message
     */
    @SuppressWarnings("unchecked")
    public static <T> T lineMagic(String name, List<String> args) {
        return (T) call(() -> CellCallbacks.current().lineMagic(name, MagicArgs.join(args)));
    }

    /**
     * Runs the line magic {@code name} with its arguments as typed after the name: magics written
     * inside an expression ({@code var jars = %jars lib/*.jar}) desugar to this.
     */
    @SuppressWarnings("unchecked")
    public static <T> T lineMagic(String name, String args) {
        return (T) call(() -> CellCallbacks.current().lineMagic(name, args));
    }

    /**
     * Runs the cell magic {@code name} with {@code args} and {@code body}, as a cell starting
     * {@code %%name args} followed by {@code body} would, and returns its result.
     *
     * @throws NotebookException when the magic is unknown or fails, with the magic's message
     */
    @SuppressWarnings("unchecked")
    public static <T> T cellMagic(String name, List<String> args, String body) {
        return (T) call(() -> CellCallbacks.current().cellMagic(name, MagicArgs.join(args), body));
    }

    /** The running kernel, for what the functions above do not cover: class path, magic registry, options. */
    public static NotebookKernel getKernelInstance() {
        return new NotebookKernel(CellCallbacks.current());
    }

    /** Runs a call back into the notebook; its failure becomes the {@link NotebookException} cells catch. */
    static <T> T call(Supplier<T> callback) {
        try {
            return callback.get();
        } catch (CellCallbacks.Failure f) {
            throw new NotebookException(f.getMessage(), f.getCause());
        }
    }
}

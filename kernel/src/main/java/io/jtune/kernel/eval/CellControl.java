package io.jtune.kernel.eval;

/**
 * Called from instrumented cell code (see {@link StopCheckInstrumenter}): a stop check at the
 * start of every method and before every backward branch, and the replacements of
 * {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt}. Public because the cells'
 * classes call it; not an API for users.
 */
public final class CellControl {
    /** Set with a stop, cleared when the next cell starts: any cell code that runs meanwhile stops. */
    private static volatile boolean stopping;

    private CellControl() {}

    /**
     * Throws {@link CellStoppedError} on every thread that runs cell code while a stop is on: the
     * cell's own thread, common-pool workers running a parallel stream's lambdas, and any other
     * thread that picks up such a task. A thread that waits on the common pool (its
     * {@code awaitQuiescence}, a stream's {@code join}) helps run queued tasks, so telling pool
     * threads apart is not enough. The stop lasts until the next cell starts.
     */
    public static void check() {
        if (stopping) {
            throw new CellStoppedError();
        }
    }

    /** Replaces {@code System.exit(status)} in cell code. */
    public static void exit(int status) {
        throw new CellExitError("System.exit(" + status + ")");
    }

    /** Replaces {@code Runtime.getRuntime().exit(status)} in cell code. */
    public static void runtimeExit(Runtime runtime, int status) {
        throw new CellExitError("Runtime.exit(" + status + ")");
    }

    /** Replaces {@code Runtime.getRuntime().halt(status)} in cell code. */
    public static void runtimeHalt(Runtime runtime, int status) {
        throw new CellExitError("Runtime.halt(" + status + ")");
    }

    static void requestStop() {
        stopping = true;
    }

    static void clearStop() {
        stopping = false;
    }
}

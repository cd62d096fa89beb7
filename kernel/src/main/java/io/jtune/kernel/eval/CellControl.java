package io.jtune.kernel.eval;

/**
 * Called from instrumented cell code (see {@link StopCheckInstrumenter}): a stop check at the
 * start of every method and before every backward branch, and the replacements of
 * {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt}. Public because the cells'
 * classes call it; not an API for users.
 */
public final class CellControl {
    private static volatile Thread stopTarget;

    private CellControl() {}

    /** Throws {@link CellStoppedError} on the thread whose cell is being stopped. */
    public static void check() {
        Thread target = stopTarget;
        if (target != null && target == Thread.currentThread()) {
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

    static void requestStop(Thread thread) {
        stopTarget = thread;
    }

    static void clearStop() {
        stopTarget = null;
    }
}

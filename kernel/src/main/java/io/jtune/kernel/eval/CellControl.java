package io.jtune.kernel.eval;

/**
 * Called from instrumented cell code (see {@link StopCheckInstrumenter}): a stop check at the
 * start of every method and before every backward branch, and the replacements of
 * {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt}. Public because the cells'
 * classes call it; not an API for users.
 */
public final class CellControl {
    private static volatile Thread stopTarget;
    /** Set with a stop: cell code running on the common pool (a parallel stream's tasks) stops too. */
    private static volatile boolean stopPool;

    private CellControl() {}

    /**
     * Throws {@link CellStoppedError} on the thread whose cell is being stopped, and on common-pool
     * workers running cell code (a parallel stream's lambdas) while a stop is on.
     */
    public static void check() {
        Thread target = stopTarget;
        if (target != null && (target == Thread.currentThread() || stopPool && onCommonPool())) {
            throw new CellStoppedError();
        }
    }

    private static boolean onCommonPool() {
        return Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread w
                && w.getPool() == java.util.concurrent.ForkJoinPool.commonPool();
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
        stopPool = true;
        stopTarget = thread;
    }

    static void clearStop() {
        stopTarget = null;
        stopPool = false;
    }
}

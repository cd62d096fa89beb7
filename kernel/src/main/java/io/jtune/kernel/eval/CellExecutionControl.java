package io.jtune.kernel.eval;

import io.jtune.kernel.log.Log;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs cells in this JVM (JShell's local execution), each snippet on a fresh cell thread, and
 * keeps the real value and exception of the last snippet for the display system.
 *
 * <p>Stopping a cell works the same on JDK 17 and 21+: the cell's classes are instrumented with
 * stop checks, the cell thread is interrupted (for sleep, wait and I/O), then, for code that is not
 * instrumented (a library's loop), {@code Thread.stop} where the JDK still has it, and last the
 * thread is abandoned so that the notebook goes on.
 */
final class CellExecutionControl extends DirectExecutionControl {
    static final long STOP_GRACE_MILLIS = 1500;
    private static final String VALUE_MARK = "<jtune value>";

    private volatile Thread cellThread;
    private volatile CompletableFuture<Object> running;
    private volatile boolean stopRequested;
    private volatile boolean timedOut;
    private volatile long timeoutMillis;
    private volatile String lastStopOutcome = "stopped";
    /** Open while a stop decides its outcome (the cell may end before the pool is checked). */
    private volatile java.util.concurrent.CountDownLatch stopping = new java.util.concurrent.CountDownLatch(0);
    private Object lastValue;
    private Throwable lastThrown;

    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException,
            EngineTerminationException {
        super.load(Arrays.stream(cbcs)
                .map(c -> new ClassBytecodes(c.name(), StopCheckInstrumenter.instrument(c.name(), c.bytecodes())))
                .toArray(ClassBytecodes[]::new));
    }

    /** Clears the remembered value and exception; called before each snippet. */
    void resetLast() {
        lastValue = null;
        lastThrown = null;
    }

    Object lastValue() {
        return lastValue;
    }

    Throwable lastThrown() {
        return lastThrown;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    void clearStopRequest() {
        stopRequested = false;
        timedOut = false;
        CellControl.clearStop();
    }

    /** Stops any top-level snippet that runs longer than {@code millis}; 0 for no limit. */
    void setTimeoutMillis(long millis) {
        timeoutMillis = Math.max(0, millis);
    }

    /** Whether the last stop came from the time limit rather than the user. */
    boolean timedOut() {
        return timedOut;
    }

    /** Whether a snippet is running now (on a cell thread). */
    boolean cellRunning() {
        return cellThread != null;
    }

    /** Whether the calling thread is the thread of the running cell (code in the cell calling back in). */
    boolean onCellThread() {
        Thread t = cellThread;
        return t != null && t == Thread.currentThread();
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        lastValue = callOnCellThread(() -> doitMethod.invoke(null));
        return VALUE_MARK;
    }

    /**
     * Runs {@code task} on a fresh cell thread and waits for it; the running-cell machinery (stop
     * checks, interrupt, abandon) applies. A stop surfaces as {@link StoppedException}; an
     * exception of the task is recorded as {@link #lastThrown()} and rethrown wrapped in an
     * InvocationTargetException, as reflection would.
     */
    Object callOnCellThread(Callable<Object> task) throws Exception {
        if (onCellThread()) {
            return callInline(task);
        }
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "jtune-cell");
        t.setDaemon(true);
        t.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        running = result;
        cellThread = t;
        if (stopRequested) {
            // an interrupt arrived between two snippets of the cell: do not start the next one
            throw new StoppedException();
        }
        t.start();
        try {
            return awaitWithinTimeout(result);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            Throwable userThrown = cause instanceof InvocationTargetException ite ? ite.getCause() : cause;
            if (userThrown instanceof OutOfMemoryError) {
                MemoryCushion.release(); // room for reporting it and for the cell that frees the data
            }
            // after an interrupt, whatever the cell ended with (CellStoppedError, ThreadDeath, an
            // abandoned thread, InterruptedException, an engine's CancellationException) is its doing
            if (stopRequested) {
                throw new StoppedException();
            }
            lastThrown = userThrown;
            throw cause instanceof InvocationTargetException ite ? ite : new InvocationTargetException(userThrown);
        } finally {
            cellThread = null;
            running = null;
        }
    }

    private Object awaitWithinTimeout(CompletableFuture<Object> result) throws Exception {
        long limit = timeoutMillis;
        if (limit <= 0) {
            return result.get();
        }
        try {
            return result.get(limit, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            timedOut = true;
            stopCell();
            try {
                result.get();
            } catch (ExecutionException | java.util.concurrent.CancellationException stopped) {
                // the stop ended it; reported as a timeout below
            }
            throw new StoppedException();
        }
    }

    /**
     * Runs a snippet that the running cell evaluates itself ({@code eval(...)}, {@code lineMagic(...)})
     * on the cell's own thread: that thread waits for it anyway, and a stop aimed at it reaches the
     * nested code too. Failures are reported as {@link #callOnCellThread} reports them.
     */
    private Object callInline(Callable<Object> task) throws Exception {
        try {
            return task.call();
        } catch (InvocationTargetException e) {
            if (stopRequested) {
                throw new StoppedException();
            }
            lastThrown = e.getCause();
            throw e;
        } catch (Exception | Error e) {
            if (e instanceof OutOfMemoryError) {
                MemoryCushion.release();
            }
            if (stopRequested) {
                throw new StoppedException();
            }
            lastThrown = e;
            throw new InvocationTargetException(e);
        }
    }

    /** Marker for a cell given up on: the thread runs on, the notebook does not wait for it. */
    private static final class ThreadDeathSignal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ThreadDeathSignal() {
            super("abandoned", null, false, false);
        }
    }

    /**
     * Stops the running cell, if any; returns a short account of how ("stopped", "abandoned").
     * Called from the control thread; blocks at most about twice the grace period.
     */
    String stopCell() {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        stopping = done;
        try {
            lastStopOutcome = stopAndWait();
        } finally {
            done.countDown();
        }
        return lastStopOutcome;
    }

    /**
     * How the last stop went: "stopped", "abandoned", {@link #POOL_BUSY} or "idle"; waits (a few
     * seconds at most) for a stop still deciding.
     */
    String lastStopOutcome() {
        try {
            stopping.await(3 * STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lastStopOutcome;
    }

    private String stopAndWait() {
        stopRequested = true;
        Thread t = cellThread;
        CompletableFuture<Object> r = running;
        if (t == null || r == null) {
            return "idle";
        }
        CellControl.requestStop();
        t.interrupt();
        if (await(r, STOP_GRACE_MILLIS)) {
            return poolOutcome();
        }
        if (tryThreadStop(t) && await(r, STOP_GRACE_MILLIS)) {
            return poolOutcome();
        }
        Log.warn("cell thread " + t.getName() + " does not stop (uninstrumented code); leaving it behind");
        r.completeExceptionally(new ThreadDeathSignal());
        return "abandoned";
    }

    /**
     * "stopped" when the common pool has gone quiet within the grace period (the cell's parallel
     * tasks hit their stop checks), else "pool busy": pool workers still run what the cell started.
     */
    private static String poolOutcome() {
        java.util.concurrent.ForkJoinPool pool = java.util.concurrent.ForkJoinPool.commonPool();
        if (pool.getActiveThreadCount() == 0 || pool.awaitQuiescence(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
            return "stopped";
        }
        Log.warn(pool.getActiveThreadCount() + " common-pool workers still run after the stop");
        return POOL_BUSY;
    }

    /** The stop outcome when the cell ended but ForkJoinPool.commonPool() workers run on. */
    static final String POOL_BUSY = "pool busy";

    private static boolean await(CompletableFuture<Object> r, long millis) {
        try {
            r.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | RuntimeException e) {
            return true;
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static boolean tryThreadStop(Thread t) {
        try {
            t.stop();
            return true;
        } catch (UnsupportedOperationException e) {
            return false; // JDK 20+
        }
    }

    @Override
    public void stop() {
        stopCell();
    }
}

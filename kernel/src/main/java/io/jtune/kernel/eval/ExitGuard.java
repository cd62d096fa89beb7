package io.jtune.kernel.eval;

import io.jtune.kernel.agent.ExitAgent;
import io.jtune.kernel.agent.ExitGate;
import io.jtune.kernel.log.Log;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kernel's policy for exits of the JVM, enforced through the exit agent ({@link ExitAgent}):
 * once a notebook runs in this JVM ({@link #arm}), {@code System.exit}, {@code Runtime.exit} and
 * {@code Runtime.halt} are refused with a {@link CellExitError}, from whatever thread and
 * however they are reached, until the kernel itself decides to end ({@link #allowExit}: the
 * command line finishing, after a shutdown request or a fatal error). A refusal on the cell's
 * thread fails that cell with {@code SystemExit}; one on another thread ends that thread (its
 * error shows on the cell's stderr) and fails the cell during which it happened ({@link
 * #failIfRefusedSince}).
 */
public final class ExitGuard {
    private static final AtomicLong REFUSALS = new AtomicLong();
    private static volatile boolean exitAllowed;
    private static volatile String lastRefused = "";
    private static boolean armed;

    private ExitGuard() {}

    /**
     * Starts refusing exits in this JVM; returns whether the JVM-wide guard is in place (without
     * the agent, only the cells' direct calls are rewritten, and a warning says so once).
     */
    static synchronized boolean arm() {
        if (!armed) {
            armed = true;
            if (ExitAgent.installed()) {
                ExitGate.setHook(ExitGuard::decide);
                Log.debug("exits of the JVM are refused until the kernel shuts down");
            } else {
                Log.warn("the exit guard agent is not installed (the launcher starts java with"
                        + " -javaagent:<jtune-kernel jar>): a System.exit that cell code reaches through a"
                        + " method reference, reflection, a library or another thread will end the kernel");
            }
        }
        return ExitAgent.installed();
    }

    /** Lets the JVM exit from now on: the kernel or the command line is ending. */
    public static void allowExit() {
        exitAllowed = true;
    }

    /** How many exits were refused so far. */
    static long refusals() {
        return REFUSALS.get();
    }

    /**
     * {@code result}, or a {@code SystemExit} failure when it is a success but an exit was refused
     * since {@code refusalsBefore} (on a thread the cell started).
     */
    static CellResult failIfRefusedSince(long refusalsBefore, CellResult result) {
        if (!result.ok() || REFUSALS.get() == refusalsBefore) {
            return result;
        }
        return CellResult.failed(new CellExitError(lastRefused).toCellError());
    }

    private static void decide(String method, int status) {
        if (exitAllowed) {
            return;
        }
        String call = (method.equals("halt") ? "Runtime.halt(" : "System.exit(") + status + ")";
        Thread t = Thread.currentThread();
        lastRefused = call + ", in thread \"" + t.getName() + "\",";
        REFUSALS.incrementAndGet();
        throw new CellExitError(call);
    }
}

package io.jtune.kernel.eval;

import java.util.List;

/**
 * Thrown in place of exiting the JVM when cell code calls {@code System.exit}, {@code Runtime.exit}
 * or {@code Runtime.halt}: the kernel keeps serving. It comes from the source-level rewrite of
 * the cell's own calls ({@link CellControl}) or, for calls the rewrite does not see (method
 * references, reflection, libraries, other threads), from the JVM's exit guard ({@link ExitGuard}).
 */
public final class CellExitError extends Error {
    private static final long serialVersionUID = 1L;

    CellExitError(String call) {
        super(call + " was called by the cell. jtune keeps the kernel running instead of exiting;"
                + " to start afresh, restart the kernel from the front end"
                + " (JupyterLab and Notebook: Kernel > Restart Kernel).", null, false, false);
    }

    /** The cell's error for this refused exit. */
    CellError toCellError() {
        return new CellError("SystemExit", getMessage(), List.of("SystemExit: " + getMessage()));
    }

    /** The refused exit {@code t} is or was caused by (reflection wraps it), else null. */
    static CellExitError in(Throwable t) {
        for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
            if (t instanceof CellExitError e) {
                return e;
            }
        }
        return null;
    }
}

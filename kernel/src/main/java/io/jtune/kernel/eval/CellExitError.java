package io.jtune.kernel.eval;

/** Thrown in place of exiting the JVM when a cell calls {@code System.exit}: the kernel keeps serving. */
public final class CellExitError extends Error {
    private static final long serialVersionUID = 1L;

    CellExitError(String call) {
        super(call + " was called by the cell. jtune keeps the kernel running instead of exiting;"
                + " to start afresh, restart the kernel from the front end"
                + " (JupyterLab and Notebook: Kernel > Restart Kernel).", null, false, false);
    }
}

package io.jtune.kernel.eval;

import java.util.List;

/** A failed cell as Jupyter shows it: exception name, value and traceback lines. */
public record CellError(String ename, String evalue, List<String> traceback) {
    public static final String INTERRUPTED = "Interrupted";

    public static CellError interrupted(String how) {
        String text = "abandoned".equals(how)
                ? "The cell was interrupted, but its thread did not stop (it runs code that jtune cannot"
                    + " interrupt) and is left running in the background. Restart the kernel to end it."
                : CellExecutionControl.POOL_BUSY.equals(how)
                ? "The cell was interrupted, but " + java.util.concurrent.ForkJoinPool.commonPool().getActiveThreadCount()
                    + " ForkJoinPool.commonPool() worker(s) (parallel streams, CompletableFuture.supplyAsync) still"
                    + " run work it started, in code that jtune cannot interrupt. Restart the kernel to end it."
                : "The cell was interrupted.";
        return new CellError(INTERRUPTED, text, List.of(INTERRUPTED + ": " + text));
    }
}

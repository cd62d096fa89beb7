package io.jtune.kernel.display;

/**
 * The sink of the cell that is running now, for the static helpers in {@link Notebook}. Set by the
 * evaluator around each cell; output from threads that outlive their cell goes to the last cell,
 * as in IPython.
 */
public final class DisplayContext {
    private static volatile DisplaySink current;

    private DisplayContext() {}

    public static void set(DisplaySink sink) {
        current = sink;
    }

    /** The current sink, or an exception that says no cell is running. */
    public static DisplaySink current() {
        DisplaySink sink = current;
        if (sink == null) {
            throw new IllegalStateException("display is only available while a notebook cell runs");
        }
        return sink;
    }
}

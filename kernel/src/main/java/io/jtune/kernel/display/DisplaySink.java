package io.jtune.kernel.display;

/**
 * Where display output of the running cell goes: the kernel sends it as iopub messages, the
 * headless runner appends it to the notebook's outputs.
 */
public interface DisplaySink {
    /**
     * Shows {@code bundle}. With {@code update} false it is a new output (display_data), carrying
     * {@code displayId} when not null; with {@code update} true it replaces every output shown
     * earlier under {@code displayId} (update_display_data).
     */
    void display(MimeBundle bundle, String displayId, boolean update);

    /** Clears the cell's output; with {@code wait}, only when the next output arrives. */
    void clearOutput(boolean wait);
}

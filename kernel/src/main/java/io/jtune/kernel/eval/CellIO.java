package io.jtune.kernel.eval;

import io.jtune.kernel.display.DisplaySink;
import java.io.IOException;

/**
 * Everything a running cell can send to its front end: streams, display output and requests for
 * input. The kernel implements it over iopub and stdin; the headless runner over nbformat outputs.
 */
public interface CellIO extends DisplaySink {
    /** Text written to {@code stdout} or {@code stderr}. */
    void stream(String name, String text);

    /**
     * Asks the user for one line of input (without its line end).
     *
     * @throws IOException when the front end does not take input (allow_stdin false)
     */
    String input(String prompt, boolean password) throws IOException;

    /** A CellIO that drops everything and takes no input (silent execution). */
    CellIO SILENT = new CellIO() {
        @Override
        public void stream(String name, String text) {}

        @Override
        public String input(String prompt, boolean password) throws IOException {
            throw new IOException("stdin is not available while executing silently");
        }

        @Override
        public void display(io.jtune.kernel.display.MimeBundle bundle, String displayId, boolean update) {}

        @Override
        public void clearOutput(boolean wait) {}
    };
}

package io.jtune.kernel.eval;

import io.jtune.kernel.display.MimeBundle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a cell sent, for assertions. */
final class RecordingCellIO implements CellIO {
    final StringBuilder stdout = new StringBuilder();
    final StringBuilder stderr = new StringBuilder();
    final List<MimeBundle> displays = new ArrayList<>();
    final List<String> inputs = new ArrayList<>();
    final List<String> prompts = new ArrayList<>();
    volatile long firstStreamNanos;

    @Override
    public synchronized void stream(String name, String text) {
        if (firstStreamNanos == 0) {
            firstStreamNanos = System.nanoTime();
        }
        (name.equals("stdout") ? stdout : stderr).append(text);
    }

    @Override
    public String input(String prompt, boolean password) throws IOException {
        prompts.add(prompt);
        if (inputs.isEmpty()) {
            throw new IOException("stdin is not available");
        }
        return inputs.remove(0);
    }

    @Override
    public synchronized void display(MimeBundle bundle, String displayId, boolean update) {
        displays.add(bundle);
    }

    @Override
    public void clearOutput(boolean wait) {}
}

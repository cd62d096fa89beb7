package io.jtune.finetune.data;

/**
 * Where an example came from, for messages a user can act on: {@code file:line} (1-based line,
 * or the 1-based element of a JSON array, or the CSV record), or a label such as {@code <table>}
 * for data built in the notebook.
 */
public record SourceRef(String file, int line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }
}

package io.jtune.finetune.data;

/**
 * Where an example came from, for messages a user can act on: {@code file:line}, the 1-based
 * physical line the record starts on in every file format (JSON Lines, JSON array, CSV, TSV), or a
 * label such as {@code <table>} with the 1-based row for data built in the notebook.
 */
public record SourceRef(String file, int line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }
}

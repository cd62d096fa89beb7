package io.jtune.kernel.api;

/**
 * A failure of {@code eval(...)}, {@code lineMagic(...)} or {@code cellMagic(...)} called from a
 * cell: the code did not compile or threw (the exception it threw is the cause), or the magic
 * failed (its message says why and how to use it). Unchecked, so cells need not declare it.
 */
public class NotebookException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotebookException(String message) {
        super(message);
    }

    public NotebookException(String message, Throwable cause) {
        super(message, cause);
    }
}

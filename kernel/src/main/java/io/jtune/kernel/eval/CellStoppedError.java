package io.jtune.kernel.eval;

/** Thrown inside a cell that the user interrupted. An Error, so {@code catch (Exception e)} does not swallow it. */
public final class CellStoppedError extends Error {
    private static final long serialVersionUID = 1L;

    CellStoppedError() {
        super("the cell was interrupted", null, false, false);
    }
}

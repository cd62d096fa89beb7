package io.jtune.kernel.eval;

/**
 * The outcome of a cell: ok, with or without a value to show, or an error.
 *
 * @param hasValue whether the cell ended in an expression whose value should be shown
 */
public record CellResult(boolean ok, boolean hasValue, Object value, CellError error) {
    public static CellResult empty() {
        return new CellResult(true, false, null, null);
    }

    public static CellResult value(Object value) {
        return new CellResult(true, true, value, null);
    }

    public static CellResult failed(CellError error) {
        return new CellResult(false, false, null, error);
    }

    public boolean interrupted() {
        return error != null && CellError.INTERRUPTED.equals(error.ename());
    }
}

package io.jtune.kernel.eval;

import io.jtune.kernel.display.MimeBundle;

/**
 * The outcome of a cell: ok, with or without a value to show, or an error.
 *
 * @param hasValue whether the cell ended in an expression whose value should be shown
 * @param value that value (may be null)
 * @param bundle the value rendered for display (set by the evaluator when hasValue)
 */
public record CellResult(boolean ok, boolean hasValue, Object value, MimeBundle bundle, CellError error) {
    public static CellResult empty() {
        return new CellResult(true, false, null, null, null);
    }

    public static CellResult value(Object value) {
        return new CellResult(true, true, value, null, null);
    }

    public static CellResult failed(CellError error) {
        return new CellResult(false, false, null, null, error);
    }

    CellResult withBundle(MimeBundle b) {
        return new CellResult(ok, hasValue, value, b, error);
    }

    public boolean interrupted() {
        return error != null && CellError.INTERRUPTED.equals(error.ename());
    }
}

package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Keeping results in the step's manager: DJL puts a result in its first operand's manager. */
final class Scopes {
    private Scopes() {}

    /** {@code a}, attached to {@code scope} when it landed in another (longer-lived) manager. */
    static NDArray own(NDArray a, NDManager scope) {
        if (a.getManager() != scope) {
            a.attach(scope);
        }
        return a;
    }
}

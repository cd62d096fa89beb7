package io.jtune.finetune.train;

import java.util.List;

/**
 * How a run ended.
 *
 * @param steps every step's log, in order
 * @param stopped true when a stop request (an interrupt) ended it before its planned steps
 * @param seconds wall time of the run
 */
public record TrainResult(List<StepLog> steps, boolean stopped, double seconds) {
    public TrainResult {
        steps = List.copyOf(steps);
    }

    /** The last step's loss, NaN when no step ran. */
    public double finalLoss() {
        return steps.isEmpty() ? Double.NaN : steps.get(steps.size() - 1).loss();
    }
}

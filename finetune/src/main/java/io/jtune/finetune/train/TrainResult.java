package io.jtune.finetune.train;

import java.nio.file.Path;
import java.util.List;

/**
 * How a run ended.
 *
 * @param steps every step's log of this run (after a resume: the steps taken since), in order
 * @param evals every evaluation, in order
 * @param stopped true when a stop request (an interrupt) ended it before its planned steps
 * @param earlyStopped true when early stopping ended it
 * @param best the best evaluation, or null when there was none
 * @param restoredBest whether the weights were set back to those of {@code best}
 * @param lastCheckpoint the last checkpoint written, or null
 * @param seconds wall time of the run
 */
public record TrainResult(List<StepLog> steps, List<EvalLog> evals, boolean stopped, boolean earlyStopped, EvalLog best,
        boolean restoredBest, Path lastCheckpoint, double seconds) {
    public TrainResult {
        steps = List.copyOf(steps);
        evals = List.copyOf(evals);
    }

    /** The last step's loss, NaN when no step ran. */
    public double finalLoss() {
        return steps.isEmpty() ? Double.NaN : steps.get(steps.size() - 1).loss();
    }
}

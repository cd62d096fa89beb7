package io.jtune.finetune.train;

/** A run that cannot go on (a loss or gradient that is not finite), naming the step. */
public final class TrainingException extends RuntimeException {
    private final long step;

    public TrainingException(String message, long step) {
        super(message);
        this.step = step;
    }

    /** The step that failed (1-based); the weights are as the step before left them. */
    public long step() {
        return step;
    }
}

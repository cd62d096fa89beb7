package io.jtune.finetune.train;

/** Receives a run's events as they happen, on the training thread; keep it quick. */
public interface TrainListener {
    /** Nothing to hear. */
    TrainListener NONE = new TrainListener() {};

    /** The run is about to take its first step. */
    default void onStart(TrainPlan plan) {}

    /** An optimizer step finished. */
    default void onStep(StepLog log) {}

    /** The run ended (all steps, or stopped by a request). */
    default void onEnd(TrainResult result) {}
}

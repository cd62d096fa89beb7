package io.jtune.finetune.train;

import java.nio.file.Path;

/** Receives a run's events as they happen, on the training thread; keep it quick. */
public interface TrainListener {
    /** Nothing to hear. */
    TrainListener NONE = new TrainListener() {};

    /** The run is about to take its first step (or, resumed, its next one). */
    default void onStart(TrainPlan plan) {}

    /** An optimizer step finished. */
    default void onStep(StepLog log) {}

    /** An evaluation on the validation examples finished. */
    default void onEval(EvalLog log) {}

    /** A checkpoint folder was written. */
    default void onCheckpoint(long step, Path folder) {}

    /** Early stopping ended the run: {@code patience} evaluations in a row did not improve. */
    default void onEarlyStop(long step, EvalLog best) {}

    /** The run ended. */
    default void onEnd(TrainResult result) {}
}

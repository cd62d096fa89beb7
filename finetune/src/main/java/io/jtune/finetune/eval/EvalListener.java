package io.jtune.finetune.eval;

/** Progress of an evaluation, for a progress bar. */
@FunctionalInterface
public interface EvalListener {
    /**
     * After each batch.
     *
     * @param label what is being evaluated ("base", "adapter on")
     * @param done cases answered so far
     * @param total cases in all
     * @param examplesPerSecond over the cases so far
     * @param etaSeconds the remaining cases at that rate
     */
    void onProgress(String label, int done, int total, double examplesPerSecond, double etaSeconds);

    EvalListener NONE = (label, done, total, rate, eta) -> { };
}

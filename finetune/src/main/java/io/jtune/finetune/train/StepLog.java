package io.jtune.finetune.train;

/**
 * What one optimizer step did.
 *
 * @param step 1-based
 * @param totalSteps the run's planned steps
 * @param epoch fractional epoch at the end of the step (1.0 = one pass over the examples)
 * @param loss mean cross-entropy over the step's target tokens
 * @param gradNorm global L2 norm of the gradients before clipping
 * @param learningRate the rate this step used
 * @param targetTokens tokens the loss was taken on
 * @param tokens all tokens of the step's batches, padding excluded
 * @param seconds wall time of the step
 * @param etaSeconds the rest of the run at the mean step time so far
 * @param residentBytes the process's resident memory after the step (native tensors included), -1 if unknown
 */
public record StepLog(long step, long totalSteps, double epoch, double loss, double gradNorm, double learningRate,
        int targetTokens, int tokens, double seconds, double etaSeconds, long residentBytes) {

    /** Tokens per second of this step (padding excluded). */
    public double tokensPerSecond() {
        return seconds > 0 ? tokens / seconds : 0;
    }
}

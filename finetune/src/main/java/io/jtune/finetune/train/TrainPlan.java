package io.jtune.finetune.train;

/**
 * What a run will do, computed before the first step.
 *
 * @param examples training examples
 * @param targetTokensPerEpoch tokens the loss is taken on in one pass
 * @param microBatchesPerEpoch forward passes per epoch
 * @param stepsPerEpoch optimizer steps per epoch (the last may accumulate fewer micro-batches)
 * @param totalSteps optimizer steps of the run
 * @param warmupSteps steps of linear warmup
 * @param effectiveBatch examples per optimizer step (micro-batch x accumulation)
 * @param trainableParameters values the optimizer updates
 * @param tokensPerEpoch all tokens of the examples (padding excluded)
 * @param longestRow the longest micro-batch row, in tokens (what activations scale with)
 * @param memory the estimated peak memory of a step on the longest micro-batch
 */
public record TrainPlan(int examples, long targetTokensPerEpoch, int microBatchesPerEpoch, long stepsPerEpoch,
        long totalSteps, long warmupSteps, int effectiveBatch, long trainableParameters, long tokensPerEpoch,
        int longestRow, MemoryEstimate memory) {

    /** The run's time at {@code tokensPerSecond} (from a calibration or a finished run), in seconds. */
    public double secondsAt(double tokensPerSecond) {
        double epochs = (double) totalSteps / Math.max(1, stepsPerEpoch);
        return tokensPerSecond > 0 ? tokensPerEpoch * epochs / tokensPerSecond : Double.NaN;
    }
}

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
 */
public record TrainPlan(int examples, long targetTokensPerEpoch, int microBatchesPerEpoch, long stepsPerEpoch,
        long totalSteps, long warmupSteps, int effectiveBatch, long trainableParameters) {}

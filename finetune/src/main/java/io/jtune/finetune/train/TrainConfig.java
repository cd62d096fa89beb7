package io.jtune.finetune.train;

/**
 * A training run's settings, named as transformers' {@code TrainingArguments} names them where an
 * equivalent exists.
 *
 * @param epochs {@code num_train_epochs}: passes over the training examples (used when maxSteps is 0)
 * @param maxSteps {@code max_steps}: optimizer steps to take; 0 to run {@code epochs} epochs
 * @param learningRate {@code learning_rate}: the peak rate
 * @param schedule {@code lr_scheduler_type}: constant, linear or cosine
 * @param warmupSteps {@code warmup_steps}; when 0, {@code warmupRatio} of the steps (rounded up)
 * @param warmupRatio {@code warmup_ratio}, in [0, 1)
 * @param microBatch {@code per_device_train_batch_size}: examples per forward pass
 * @param accumulation {@code gradient_accumulation_steps}: micro-batches per optimizer step
 * @param maxGradNorm {@code max_grad_norm}: global L2 clipping; 0 to measure only
 * @param weightDecay {@code weight_decay} (AdamW, decoupled)
 * @param beta1 {@code adam_beta1}
 * @param beta2 {@code adam_beta2}
 * @param eps {@code adam_epsilon}
 * @param seed {@code seed}: the order of examples in each epoch
 * @param shuffle whether each epoch takes the examples in a seeded random order (else as given)
 * @param packLength {@code packing} with {@code max_seq_length}: examples are packed end to end into
 *     rows of at most this many tokens, each attending only to itself (block-diagonal mask,
 *     positions restarting per example); 0 for one example per row
 * @param neftuneAlpha {@code neftune_noise_alpha}: NEFTune noise on the input embeddings during
 *     training steps only (TRL's usual value is 5); 0 for none
 * @param gradientCheckpointing {@code gradient_checkpointing}: keep only each decoder layer's input
 *     and recompute the layer in the backward pass (less memory, about a third more compute)
 * @param optimizer8bit {@code optim="adamw_8bit"}: AdamW with its two moments kept in 8 bits,
 *     block-wise, as bitsandbytes' 8-bit optimizers keep them ({@link AdamW8bit})
 */
public record TrainConfig(double epochs, long maxSteps, double learningRate, LrSchedule schedule, long warmupSteps,
        double warmupRatio, int microBatch, int accumulation, double maxGradNorm, double weightDecay, double beta1,
        double beta2, double eps, long seed, boolean shuffle, int packLength, double neftuneAlpha, boolean gradientCheckpointing, boolean optimizer8bit) {

    public TrainConfig {
        if (maxSteps < 0 || (maxSteps == 0 && !(epochs > 0))) {
            throw new IllegalArgumentException("give a positive number of epochs or max steps (epochs " + epochs
                    + ", max steps " + maxSteps + ")");
        }
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a finite number >= 0, got " + learningRate);
        }
        if (warmupSteps < 0 || !(warmupRatio >= 0 && warmupRatio < 1)) {
            throw new IllegalArgumentException("warmup must be >= 0 steps or a ratio in [0, 1), got " + warmupSteps
                    + " steps, ratio " + warmupRatio);
        }
        if (microBatch < 1 || accumulation < 1) {
            throw new IllegalArgumentException("batch and accumulation must be at least 1, got " + microBatch + " and "
                    + accumulation);
        }
        if (!(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("max grad norm must be >= 0, got " + maxGradNorm);
        }
        if (!(neftuneAlpha >= 0) || Double.isInfinite(neftuneAlpha)) {
            throw new IllegalArgumentException("NEFTune alpha must be a finite number >= 0, got " + neftuneAlpha);
        }
        if (packLength < 0) {
            throw new IllegalArgumentException("pack length must be >= 0, got " + packLength);
        }
        if (schedule == null) {
            throw new IllegalArgumentException("schedule is missing");
        }
    }

    /**
     * transformers' defaults where they suit LoRA on a small model: 3 epochs, lr 2e-4, linear
     * schedule, no warmup, batch 4, no accumulation, clipping at 1.0, no weight decay, AdamW
     * (0.9, 0.999, 1e-8), seed 42, shuffled.
     */
    public static TrainConfig defaults() {
        return new TrainConfig(3, 0, 2e-4, LrSchedule.LINEAR, 0, 0, 4, 1, 1.0, 0, 0.9, 0.999, 1e-8, 42, true, 0, 0, false, false);
    }

    /** Examples per optimizer step: micro-batch x accumulation. */
    public int effectiveBatch() {
        return microBatch * accumulation;
    }

    /** Warmup steps for a run of {@code total} steps. */
    public long warmupFor(long total) {
        return warmupSteps > 0 ? warmupSteps : (long) Math.ceil(warmupRatio * total);
    }

    public TrainConfig withSteps(double epochs, long maxSteps) {
        return new TrainConfig(epochs, maxSteps, learningRate, schedule, warmupSteps, warmupRatio, microBatch,
                accumulation, maxGradNorm, weightDecay, beta1, beta2, eps, seed, shuffle, packLength, neftuneAlpha, gradientCheckpointing, optimizer8bit);
    }

    public TrainConfig withLearningRate(double lr, LrSchedule schedule, long warmupSteps, double warmupRatio) {
        return new TrainConfig(epochs, maxSteps, lr, schedule, warmupSteps, warmupRatio, microBatch, accumulation,
                maxGradNorm, weightDecay, beta1, beta2, eps, seed, shuffle, packLength, neftuneAlpha, gradientCheckpointing, optimizer8bit);
    }

    public TrainConfig withBatch(int microBatch, int accumulation) {
        return new TrainConfig(epochs, maxSteps, learningRate, schedule, warmupSteps, warmupRatio, microBatch,
                accumulation, maxGradNorm, weightDecay, beta1, beta2, eps, seed, shuffle, packLength, neftuneAlpha, gradientCheckpointing, optimizer8bit);
    }

    public TrainConfig withOptimizer(double weightDecay, double beta1, double beta2, double eps, double maxGradNorm) {
        return new TrainConfig(epochs, maxSteps, learningRate, schedule, warmupSteps, warmupRatio, microBatch,
                accumulation, maxGradNorm, weightDecay, beta1, beta2, eps, seed, shuffle, packLength, neftuneAlpha, gradientCheckpointing, optimizer8bit);
    }

    /** Packs examples into rows of at most {@code length} tokens (0: no packing). */
    public TrainConfig withPacking(int length) {
        return new TrainConfig(epochs, maxSteps, learningRate, schedule, warmupSteps, warmupRatio, microBatch,
                accumulation, maxGradNorm, weightDecay, beta1, beta2, eps, seed, shuffle, length, neftuneAlpha, gradientCheckpointing, optimizer8bit);
    }

    /** NEFTune noise during training steps (0: off). */
    public TrainConfig withNeftune(double alpha) {
        return new TrainConfig(epochs, maxSteps, learningRate, schedule, warmupSteps, warmupRatio, microBatch,
                accumulation, maxGradNorm, weightDecay, beta1, beta2, eps, seed, shuffle, packLength, alpha, gradientCheckpointing, optimizer8bit);
    }

    /** Gradient checkpointing per decoder layer on or off. */
    public TrainConfig withGradientCheckpointing(boolean on) {
        return new TrainConfig(epochs, maxSteps, learningRate, schedule, warmupSteps, warmupRatio, microBatch,
                accumulation, maxGradNorm, weightDecay, beta1, beta2, eps, seed, shuffle, packLength, neftuneAlpha, on, optimizer8bit);
    }

    /** AdamW with 8-bit block-wise moments ({@code adamw_8bit}) or with f32 moments. */
    public TrainConfig withOptimizer8bit(boolean on) {
        return new TrainConfig(epochs, maxSteps, learningRate, schedule, warmupSteps, warmupRatio, microBatch,
                accumulation, maxGradNorm, weightDecay, beta1, beta2, eps, seed, shuffle, packLength, neftuneAlpha,
                gradientCheckpointing, on);
    }

    public TrainConfig withOrder(long seed, boolean shuffle) {
        return new TrainConfig(epochs, maxSteps, learningRate, schedule, warmupSteps, warmupRatio, microBatch,
                accumulation, maxGradNorm, weightDecay, beta1, beta2, eps, seed, shuffle, packLength, neftuneAlpha, gradientCheckpointing, optimizer8bit);
    }
}

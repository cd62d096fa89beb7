package io.jtune.finetune.train;

import io.jtune.finetune.model.ModelConfig;

/**
 * A run's peak memory, estimated before it starts, in bytes: the model's weights as stored, the
 * trained tensors with their gradients and AdamW's two f32 moments, and the activations one
 * micro-batch keeps for the backward pass (the moments at 8 bits with {@code adamw_8bit}), with and without gradient checkpointing.
 *
 * <p>Activations per decoder layer are counted as what autograd saves for a Llama layer: about ten
 * [B, T, E] tensors (norms, q/k/v/o inputs and outputs, residuals), four [B, T, I] tensors (gate,
 * up, activation, product) and two [B, H, T, T] attention maps (scores and probabilities); the LM
 * head adds four [B, T, V] tensors (logits, log-probabilities and, in the backward pass, their
 * gradients). Measured on the ~58M benchmark model (bench/RESULTS.md) a step grew the process by
 * about 1.8x this estimate (the allocator's caching and libtorch's workspaces come on top). With checkpointing each layer keeps
 * only its [B, T, E] input and one layer's activations are alive at a time. These are estimates, to
 * be read next to the measured peak ({@link #measuredPeakRss()}).
 */
public record MemoryEstimate(long weights, long trained, long gradients, long optimizer, long activations,
        long activationsCheckpointed) {

    static MemoryEstimate of(ModelConfig c, long weightBytes, long trainedValues, int batch, int length,
            boolean optimizer8bit) {
        long b = batch;
        long t = length;
        long perLayer = 4L * (b * t * (10L * c.hiddenSize() + 4L * c.intermediateSize())
                + 2L * b * c.numHeads() * t * t);
        long head = 4L * 4 * b * t * c.vocabSize();
        long act = perLayer * c.numLayers() + head;
        long ckpt = 4L * b * t * c.hiddenSize() * c.numLayers() + perLayer + head;
        long optimizer = optimizer8bit ? 2 * trainedValues + 8 * (trainedValues / AdamW8bit.BLOCK + 1) : 8 * trainedValues;
        return new MemoryEstimate(weightBytes, 4 * trainedValues, 4 * trainedValues, optimizer, act, ckpt);
    }

    /** The estimated peak without checkpointing. */
    public long total() {
        return weights + trained + gradients + optimizer + activations;
    }

    /** The estimated peak with gradient checkpointing. */
    public long totalCheckpointed() {
        return weights + trained + gradients + optimizer + activationsCheckpointed;
    }

    /** The process's resident memory now (Linux {@code VmRSS}), or -1 where it cannot be read. */
    public static long residentNow() {
        return statusField("VmRSS:");
    }

    /**
     * The process's peak resident memory so far (Linux {@code VmHWM}), or -1 where it cannot be read:
     * native tensors included, which the Java heap figures leave out.
     */
    public static long measuredPeakRss() {
        return statusField("VmHWM:");
    }

    private static long statusField(String field) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}

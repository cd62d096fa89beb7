package io.jtune.finetune.data.batch;

import ai.djl.ndarray.NDArray;

/**
 * A {@link Batch} as DJL arrays, all owned by the manager passed to {@link Batch#toNDArrays}:
 * {@code inputIds}, {@code labels} and {@code positionIds} int64 {@code [B, T]};
 * {@code attentionMask} int64 {@code [B, T]} (1 on tokens, 0 on padding); {@code blockMask}
 * boolean {@code [B, T, T]}, true where query and key belong to the same example (not causal:
 * the model combines it with its causal mask).
 */
public record BatchArrays(NDArray inputIds, NDArray attentionMask, NDArray labels, NDArray positionIds, NDArray blockMask) {}

package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;

/**
 * Decides how each projection of a model being built keeps its weight. The builder hands the
 * policy one projection at a time, as soon as its tensor is read, so a policy that converts (NF4
 * quantization) holds at most one f32 projection beyond what it has already converted.
 *
 * <p>Only projections ({@code q/k/v/o_proj}, {@code gate/up/down_proj} and an untied
 * {@code lm_head}) go through the policy; embeddings, norms and biases stay dense f32.
 */
@FunctionalInterface
public interface StoragePolicy {
    /** Keeps every projection as the dense f32 array it was read as. */
    StoragePolicy DENSE = (module, weight) -> new DenseWeight(weight);

    /**
     * The storage for one projection's weight.
     *
     * @param module the Hugging Face module name, e.g. {@code model.layers.0.self_attn.q_proj}
     *     (its tensor is {@code module + ".weight"})
     * @param weight [out, in] f32, in the model's manager; the policy owns it from here: it keeps it
     *     inside the storage it returns, or closes it once converted
     * @return a storage of the same [out, in] shape, whose memory lives as long as the model's manager
     */
    WeightStorage store(String module, NDArray weight);
}

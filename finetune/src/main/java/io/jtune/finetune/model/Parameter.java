package io.jtune.finetune.model;

import java.util.Arrays;
import java.util.List;

/**
 * One parameter of a {@link CausalLm}, as Hugging Face's {@code named_parameters()} lists it.
 *
 * @param name the tensor name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param shape e.g. [out, in] for a projection
 * @param storageKind how it is held: {@link WeightStorage#kind()} for projections (e.g. "float32",
 *     "nf4"), the array's type for the others
 * @param bytes memory the storage holds (for quantized storage, its blocks and scales)
 * @param trainable whether a trainer should update it
 * @param tiedNames other tensor names that share this parameter ({@code lm_head.weight} for the
 *     embedding of a model with tied embeddings); empty when none
 */
public record Parameter(String name, long[] shape, String storageKind, long bytes, boolean trainable,
        List<String> tiedNames) {
    public Parameter {
        shape = shape.clone();
        tiedNames = List.copyOf(tiedNames);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of values. */
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameter p && name.equals(p.name) && Arrays.equals(shape, p.shape)
                && storageKind.equals(p.storageKind) && bytes == p.bytes && trainable == p.trainable
                && tiedNames.equals(p.tiedNames);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + storageKind + Arrays.toString(shape) + " " + bytes + " B"
                + (trainable ? " trainable" : " frozen") + (tiedNames.isEmpty() ? "" : " tied to " + tiedNames);
    }
}

package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Optional;

/**
 * y = x·Wᵀ + b (+ adapter(x)): every projection of the decoder goes through this one class, so
 * that the weight storage (dense or quantized) and an optional adapter can change without the
 * model knowing. Weights keep Hugging Face's [out, in] layout.
 *
 * <p>The storage can be replaced in place ({@link #replaceWeight}) to merge or unmerge an adapter
 * or to quantize. A layer that is tied to another tensor (the LM head of a model with tied
 * embeddings, which multiplies by the embedding matrix) refuses: its weight is also the
 * embedding, and replacing it for the head alone would silently untie the two.
 */
public final class Linear implements AutoCloseable {
    private final String name;
    private final String tiedTo;
    private final NDArray bias;
    private volatile WeightStorage weight;
    private volatile LinearAdapter adapter;

    /** @param bias [out] or null */
    public Linear(String name, WeightStorage weight, NDArray bias) {
        this(name, weight, bias, null);
    }

    private Linear(String name, WeightStorage weight, NDArray bias, String tiedTo) {
        this.name = name;
        this.weight = weight;
        this.bias = bias;
        this.tiedTo = tiedTo;
        if (bias != null && bias.getShape().get(0) != weight.shape()[0]) {
            throw new IllegalArgumentException(name + ": bias " + bias.getShape() + " does not match weight out "
                    + weight.shape()[0]);
        }
    }

    /**
     * A layer without bias whose weight is {@code shared}, the tensor named {@code tiedTo} (e.g. an LM
     * head tied to {@code model.embed_tokens.weight}). Closing the layer leaves {@code shared} open.
     */
    public static Linear tied(String name, WeightStorage shared, String tiedTo) {
        return new Linear(name, shared, null, tiedTo);
    }

    /** The module name in Hugging Face terms, e.g. {@code model.layers.0.self_attn.q_proj}. */
    public String name() {
        return name;
    }

    public WeightStorage weight() {
        return weight;
    }

    /** The tensor this layer's weight is shared with, for a tied layer. */
    public Optional<String> tiedTo() {
        return Optional.ofNullable(tiedTo);
    }

    /**
     * Replaces the weight's storage (same [out, in] shape) and returns the old one, which the
     * caller now owns: close it, or keep it to put back. A forward pass already running may finish
     * with either storage.
     *
     * @throws IllegalArgumentException when the shape differs
     * @throws IllegalStateException for a tied layer
     */
    public WeightStorage replaceWeight(WeightStorage replacement) {
        if (tiedTo != null) {
            throw new IllegalStateException(name + ": its weight is " + tiedTo + " (tied embeddings) and cannot be"
                    + " replaced for this layer alone");
        }
        if (!Arrays.equals(replacement.shape(), weight.shape())) {
            throw new IllegalArgumentException(name + ": the new weight is " + Arrays.toString(replacement.shape())
                    + " but this layer's is [out, in] = " + Arrays.toString(weight.shape()));
        }
        WeightStorage old = weight;
        weight = replacement;
        return old;
    }

    public NDArray bias() {
        return bias;
    }

    public long inFeatures() {
        return weight.shape()[1];
    }

    public long outFeatures() {
        return weight.shape()[0];
    }

    public LinearAdapter adapter() {
        return adapter;
    }

    /** Attaches (or, with null, removes) the adapter added to this layer's output. */
    public void setAdapter(LinearAdapter adapter) {
        this.adapter = adapter;
    }

    /** x [..., in] to [..., out]; the result lives in x's manager. */
    public NDArray forward(NDArray x) {
        NDManager scope = x.getManager();
        NDArray w = weight.dense(scope);
        NDArray y = bias == null
                ? ai.djl.nn.core.Linear.linear(x, w).singletonOrThrow()
                : ai.djl.nn.core.Linear.linear(x, w, bias).singletonOrThrow();
        LinearAdapter a = adapter;
        return a == null || !a.active() ? y : y.add(a.delta(x));
    }

    @Override
    public void close() {
        if (tiedTo == null) {
            weight.close();
        }
        if (bias != null) {
            bias.close();
        }
    }

    @Override
    public String toString() {
        return name + " " + weight.kind() + "[" + outFeatures() + ", " + inFeatures() + "]"
                + (bias != null ? " +bias" : "") + (adapter != null ? " +adapter" : "")
                + (tiedTo != null ? " tied to " + tiedTo : "");
    }
}

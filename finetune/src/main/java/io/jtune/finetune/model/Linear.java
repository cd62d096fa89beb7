package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * y = x·Wᵀ + b (+ adapter(x)): every projection of the decoder goes through this one class, so
 * that the weight storage (dense or quantized) and an optional adapter can change without the
 * model knowing. Weights keep Hugging Face's [out, in] layout.
 */
public final class Linear implements AutoCloseable {
    private final String name;
    private final WeightStorage weight;
    private final NDArray bias;
    private volatile LinearAdapter adapter;

    /** @param bias [out] or null */
    public Linear(String name, WeightStorage weight, NDArray bias) {
        this.name = name;
        this.weight = weight;
        this.bias = bias;
        if (bias != null && bias.getShape().get(0) != weight.shape()[0]) {
            throw new IllegalArgumentException(name + ": bias " + bias.getShape() + " does not match weight out "
                    + weight.shape()[0]);
        }
    }

    /** The module name in Hugging Face terms, e.g. {@code model.layers.0.self_attn.q_proj}. */
    public String name() {
        return name;
    }

    public WeightStorage weight() {
        return weight;
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
        return a == null ? y : y.add(a.delta(x));
    }

    @Override
    public void close() {
        weight.close();
        if (bias != null) {
            bias.close();
        }
    }

    @Override
    public String toString() {
        return name + " " + weight.kind() + "[" + outFeatures() + ", " + inFeatures() + "]"
                + (bias != null ? " +bias" : "") + (adapter != null ? " +adapter" : "");
    }
}

package io.jtune.finetune.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.norm.Dropout;
import io.jtune.finetune.model.DenseWeight;
import io.jtune.finetune.model.Linear;
import io.jtune.finetune.model.LinearAdapter;
import io.jtune.finetune.model.WeightStorage;

/**
 * One LoRA adapter on one {@link Linear}: delta(x) = B·A·dropout(x) · scale, with A [r, in] and
 * B [out, r] (Hu et al. 2021, eq. 3), as PEFT's {@code lora.Linear} computes it. A and B are the
 * trainable tensors; the base weight stays frozen.
 *
 * <p>Merging adds scale·B·A to the weight in f32. A dense f32 weight is changed in place and
 * unmerging subtracts the same product again (the weight comes back to within float rounding, about
 * 1e-7 of its values). A weight in any other storage (NF4) cannot hold the sum: merging replaces it
 * by a dense f32 copy of base + delta and unmerging puts the original storage back unchanged.
 */
public final class LoraLayer implements LinearAdapter {
    private final Linear target;
    private final NDArray a;
    private final NDArray b;
    private final NDManager modelManager;
    private final NDArray scale; // 0-d, long-lived: scalar ops on the gradient path corrupt gradients
    private final float dropout;
    private final int rank;
    private volatile boolean enabled = true;
    private volatile boolean training;
    private volatile boolean merged;
    private WeightStorage unmergedStorage; // the original storage while merged into a copy

    /**
     * @param a [r, in] and {@code b} [out, r], in the adapter's manager
     * @param modelManager where a merged copy of a quantized weight is kept
     */
    LoraLayer(Linear target, NDArray a, NDArray b, double scale, double dropout, NDManager modelManager) {
        if (a.getShape().get(1) != target.inFeatures() || b.getShape().get(0) != target.outFeatures()
                || a.getShape().get(0) != b.getShape().get(1)) {
            throw new IllegalArgumentException(target.name() + ": lora_A " + a.getShape() + " and lora_B "
                    + b.getShape() + " do not fit a layer of [out, in] = [" + target.outFeatures() + ", "
                    + target.inFeatures() + "] (A is [r, in], B is [out, r])");
        }
        this.target = target;
        this.modelManager = modelManager;
        this.a = a;
        this.b = b;
        this.rank = (int) a.getShape().get(0);
        this.scale = a.getManager().create((float) scale);
        this.dropout = (float) dropout;
    }

    /** The module this adapter is attached to, e.g. {@code model.layers.0.self_attn.q_proj}. */
    public String module() {
        return target.name();
    }

    public Linear target() {
        return target;
    }

    /** lora_A [r, in]. */
    public NDArray a() {
        return a;
    }

    /** lora_B [out, r]. */
    public NDArray b() {
        return b;
    }

    public int rank() {
        return rank;
    }

    public float scale() {
        return scale.getFloat();
    }

    @Override
    public NDArray delta(NDArray x) {
        NDArray in = training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
        NDArray h = ai.djl.nn.core.Linear.linear(in, a).singletonOrThrow();  // [..., r]
        NDArray d = ai.djl.nn.core.Linear.linear(h, b).singletonOrThrow();   // [..., out]
        return d.mul(scale);
    }

    @Override
    public boolean active() {
        return enabled && !merged;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    void setTraining(boolean training) {
        this.training = training;
    }

    public boolean merged() {
        return merged;
    }

    /** Adds scale·B·A to the layer's weight (see the class comment for how each storage is changed). */
    synchronized void merge() {
        if (merged) {
            return;
        }
        WeightStorage storage = target.weight();
        try (NDManager tmp = modelManager.newSubManager()) {
            NDArray delta = product(tmp);
            if (storage instanceof DenseWeight && storage.kind().equals("float32")) {
                storage.dense(tmp).addi(delta);
            } else {
                NDArray sum = storage.dense(tmp).add(delta);
                sum.attach(modelManager);
                unmergedStorage = target.replaceWeight(new DenseWeight(sum));
            }
        }
        merged = true;
    }

    /** Takes scale·B·A back out of the weight, or puts the original storage back. */
    synchronized void unmerge() {
        if (!merged) {
            return;
        }
        if (unmergedStorage != null) {
            target.replaceWeight(unmergedStorage).close();
            unmergedStorage = null;
        } else {
            try (NDManager tmp = modelManager.newSubManager()) {
                target.weight().dense(tmp).subi(product(tmp));
            }
        }
        merged = false;
    }

    /** scale·B·A [out, in] in {@code tmp}. */
    private NDArray product(NDManager tmp) {
        NDArray ba = b.matMul(a);
        ba.attach(tmp);
        NDArray scaled = ba.mul(scale);
        scaled.attach(tmp);
        return scaled;
    }

    /** Keeps the merged weights and forgets the original storage (for {@code merge_and_unload}). */
    synchronized void keepMerged() {
        if (unmergedStorage != null) {
            unmergedStorage.close();
            unmergedStorage = null;
        }
    }

    @Override
    public String toString() {
        return "lora r=" + rank + " scale=" + scale() + " on " + target.name() + (merged ? " (merged)" : "")
                + (enabled ? "" : " (disabled)");
    }
}

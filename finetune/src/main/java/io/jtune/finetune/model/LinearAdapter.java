package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;

/**
 * Something a {@link Linear} adds to its output, computed from the same input: a LoRA adapter
 * (B·A·x·alpha/r, Hu et al. 2021, section 4) is the one jtune will attach.
 */
public interface LinearAdapter {
    /** The adapter's contribution for input {@code x} [..., in]: [..., out], in x's manager. */
    NDArray delta(NDArray x);

    /** False while the adapter is switched off or merged into the weight: the layer then skips it. */
    default boolean active() {
        return true;
    }
}

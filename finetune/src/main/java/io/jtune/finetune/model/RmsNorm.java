package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;

/**
 * Root-mean-square layer norm (Zhang and Sennrich 2019): x / sqrt(mean(x²) + eps) · w, over the
 * last axis, in f32. {@code eps} is a long-lived 0-d array: scalar operands on the gradient path
 * are a known DJL trap.
 */
public final class RmsNorm {
    private final NDArray weight;
    private final NDArray eps;

    /** @param weight [E]; @param eps 0-d */
    public RmsNorm(NDArray weight, NDArray eps) {
        this.weight = weight;
        this.eps = eps;
    }

    public NDArray weight() {
        return weight;
    }

    /** x [..., E] to [..., E] in x's manager. */
    public NDArray forward(NDArray x) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true); // [..., 1]
        return x.div(meanSquare.add(eps).sqrt()).mul(weight);
    }
}

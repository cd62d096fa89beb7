package io.jtune.finetune.train;

import ai.djl.ndarray.NDArray;
import java.util.Collection;

/** Global L2 gradient clipping as {@code torch.nn.utils.clip_grad_norm_} does it. */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales every gradient by min(1, maxNorm / (norm + 1e-6)), where norm is the L2 norm of all
     * gradients together; {@code maxNorm <= 0} only measures.
     *
     * @return the norm before clipping (NaN or infinite when a gradient is)
     */
    public static double clip(Collection<NDArray> params, double maxNorm) {
        double squares = 0;
        for (NDArray p : params) {
            try (NDArray g = p.getGradient(); NDArray sq = g.square(); NDArray s = sq.sum()) {
                squares += s.getFloat();
            }
        }
        double norm = Math.sqrt(squares);
        if (maxNorm > 0 && Double.isFinite(norm)) {
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1) {
                for (NDArray p : params) {
                    try (NDArray g = p.getGradient()) {
                        g.muli(coef);
                    }
                }
            }
        }
        return norm;
    }
}

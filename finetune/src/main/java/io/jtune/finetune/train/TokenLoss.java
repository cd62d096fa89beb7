package io.jtune.finetune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.jtune.finetune.data.format.LabelMasker;

/**
 * The causal LM loss as transformers computes it, summed rather than averaged: labels are shifted
 * by one (position t predicts label t+1) and positions whose label is {@link LabelMasker#IGNORE}
 * contribute nothing. Summing lets a trainer divide by the target count of a whole accumulated step,
 * so that accumulating micro-batches gives the update of one large batch.
 */
public final class TokenLoss {
    private TokenLoss() {}

    /** The summed cross-entropy (a 0-d array in {@code scope}) and the number of target tokens. */
    public record Sum(NDArray sum, int count) {}

    /**
     * @param logits [B, T, V]
     * @param labels [B][T], unshifted
     */
    public static Sum of(NDManager scope, NDArray logits, int[][] labels) {
        int b = labels.length;
        int t = labels[0].length;
        long v = logits.getShape().get(2);
        int n = b * (t - 1);
        int[] target = new int[n];
        float[] keep = new float[n];
        int count = 0;
        for (int i = 0; i < b; i++) {
            for (int j = 1; j < t; j++) {
                int label = labels[i][j];
                int k = i * (t - 1) + j - 1;
                if (label != LabelMasker.IGNORE) {
                    if (label < 0 || label >= v) {
                        throw new IllegalArgumentException("label " + label + " at row " + i + ", position " + j
                                + " is outside the vocabulary [0, " + v + ")");
                    }
                    target[k] = label;
                    keep[k] = 1;
                    count++;
                }
            }
        }
        NDArray logp = logits.get(":, :-1, :").reshape(n, v).logSoftmax(-1);
        NDArray idx = scope.create(target, new Shape(n, 1)).toType(DataType.INT64, false);
        NDArray picked = logp.gather(idx, 1).reshape(n);
        NDArray sum = picked.mul(scope.create(keep)).sum().neg();
        return new Sum(sum, count);
    }
}

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
        Picked p = pick(scope, logits, labels);
        return new Sum(p.losses.sum().neg(), p.count);
    }

    /** Each row's summed cross-entropy and target count (rows are examples when nothing is packed). */
    public record Rows(double[] sums, int[] counts) {
        /** The mean loss per target token of row {@code i}; NaN for a row without targets. */
        public double mean(int i) {
            return counts[i] == 0 ? Double.NaN : sums[i] / counts[i];
        }
    }

    /** {@link #of} row by row, read back to Java (for evaluation, not for gradients). */
    public static Rows perRow(NDManager scope, NDArray logits, int[][] labels) {
        Picked p = pick(scope, logits, labels);
        int b = labels.length;
        float[] sums = p.losses.reshape(b, labels[0].length - 1).sum(new int[] {1}).neg().toFloatArray();
        double[] out = new double[b];
        int[] counts = new int[b];
        for (int i = 0; i < b; i++) {
            out[i] = sums[i];
            for (int j = 1; j < labels[i].length; j++) {
                counts[i] += labels[i][j] != LabelMasker.IGNORE ? 1 : 0;
            }
        }
        return new Rows(out, counts);
    }

    /** The log-probability of each shifted label, zero where the label is ignored, flattened [B*(T-1)]. */
    private record Picked(NDArray losses, int count) {}

    private static Picked pick(NDManager scope, NDArray logits, int[][] labels) {
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
        return new Picked(picked.mul(scope.create(keep)), count);
    }
}

package io.jtune.finetune.export;

import ai.djl.ndarray.NDManager;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ForwardInput;
import io.jtune.finetune.model.GradMode;
import java.util.List;
import java.util.Locale;

/**
 * Compares an exported model with the model it came from on the same token sequences: the
 * largest logit difference and each model's perplexity of the sequences, so that a broken export
 * is caught before anyone serves it.
 *
 * @param maxLogitDiff the largest absolute difference of any logit
 * @param perplexityBefore perplexity of the sequences under the source model
 * @param perplexityAfter under the exported one
 * @param tokens how many predicted tokens the perplexities are over
 */
public record ExportCheck(String what, double maxLogitDiff, double perplexityBefore, double perplexityAfter, long tokens) {
    public static ExportCheck compare(String what, CausalLm source, CausalLm exported, List<int[]> sequences) {
        List<float[]> theirs = new java.util.ArrayList<>();
        for (int[] ids : sequences) {
            theirs.add(logits(exported, ids));
        }
        return compare(what, source, sequences, theirs);
    }

    /**
     * @param exportedLogits for each sequence, the exported model's logits [positions x vocab] as
     *     another engine computed them
     */
    public static ExportCheck compare(String what, CausalLm source, List<int[]> sequences, List<float[]> exportedLogits) {
        double diff = 0;
        double nllA = 0;
        double nllB = 0;
        long n = 0;
        for (int k = 0; k < sequences.size(); k++) {
            int[] ids = sequences.get(k);
            float[] a = logits(source, ids);
            float[] b = exportedLogits.get(k);
            if (b.length != a.length) {
                throw new IllegalArgumentException(what + ": " + b.length + " logits for sequence " + k + ", expected "
                        + a.length);
            }
            int v = source.config().vocabSize();
            for (int i = 0; i < a.length; i++) {
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
            }
            for (int t = 0; t + 1 < ids.length; t++) {
                nllA += nll(a, t * v, v, ids[t + 1]);
                nllB += nll(b, t * v, v, ids[t + 1]);
                n++;
            }
        }
        return new ExportCheck(what, diff, Math.exp(nllA / n), Math.exp(nllB / n), n);
    }

    private static float[] logits(CausalLm m, int[] ids) {
        try (GradMode off = GradMode.off(); NDManager scope = m.manager().newSubManager()) {
            return m.logits(scope, ForwardInput.of(new int[][] {ids}), null).toFloatArray();
        }
    }

    private static double nll(float[] logits, int from, int v, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            max = Math.max(max, logits[from + i]);
        }
        double sum = 0;
        for (int i = 0; i < v; i++) {
            sum += Math.exp(logits[from + i] - max);
        }
        return Math.log(sum) + max - logits[from + target];
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: largest logit difference %.3g; perplexity %.4f (source) vs %.4f (export)"
                + " over %d tokens", what, maxLogitDiff, perplexityBefore, perplexityAfter, tokens);
    }
}

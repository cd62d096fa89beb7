package io.jtune.finetune.model;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from one row of logits, in transformers' order of logits processors:
 * repetition penalty, then (when sampling) temperature, top-k, top-p, and a draw. Runs in Java on
 * the last position's logits: one row of V floats per token is cheap, and it keeps sampling
 * exactly reproducible from the seed.
 */
public final class Sampler {
    private final GenerationConfig config;
    private final Random random;

    public Sampler(GenerationConfig config) {
        this.config = config;
        this.random = new Random(config.seed());
    }

    /** The next token for {@code logits} [V] given the tokens of the sequence so far (for the penalty). */
    public int next(float[] logits, int[] sequence) {
        float[] l = logits.clone();
        if (config.repetitionPenalty() != 1.0) {
            applyRepetitionPenalty(l, sequence, (float) config.repetitionPenalty());
        }
        if (config.greedy()) {
            return argMax(l);
        }
        return sample(l);
    }

    /** A token already in the sequence has its logit divided by the penalty if positive, multiplied if negative. */
    static void applyRepetitionPenalty(float[] logits, int[] sequence, float penalty) {
        boolean[] seen = new boolean[logits.length];
        for (int id : sequence) {
            if (id >= 0 && id < logits.length && !seen[id]) {
                seen[id] = true;
                logits[id] = logits[id] > 0 ? logits[id] / penalty : logits[id] * penalty;
            }
        }
    }

    static int argMax(float[] l) {
        int best = 0;
        for (int i = 1; i < l.length; i++) {
            if (l[i] > l[best]) {
                best = i;
            }
        }
        return best;
    }

    private int sample(float[] l) {
        int v = l.length;
        Integer[] order = new Integer[v];
        for (int i = 0; i < v; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(l[b], l[a]));
        int keep = config.topK() > 0 ? Math.min(config.topK(), v) : v;
        double t = config.temperature();
        double max = l[order[0]] / t;
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp(l[order[i]] / t - max);
            sum += p[i];
        }
        if (config.topP() < 1.0) {
            // smallest prefix whose probability reaches top_p (the token that crosses it is kept)
            double cumulative = 0;
            int cut = keep;
            for (int i = 0; i < keep; i++) {
                cumulative += p[i] / sum;
                if (cumulative >= config.topP()) {
                    cut = i + 1;
                    break;
                }
            }
            keep = cut;
            sum = 0;
            for (int i = 0; i < keep; i++) {
                sum += p[i];
            }
        }
        double r = random.nextDouble() * sum;
        for (int i = 0; i < keep; i++) {
            r -= p[i];
            if (r <= 0) {
                return order[i];
            }
        }
        return order[keep - 1];
    }
}

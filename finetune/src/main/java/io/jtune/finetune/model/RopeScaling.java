package io.jtune.finetune.model;

/**
 * Llama 3 style rotary-embedding scaling ({@code rope_scaling} with {@code rope_type: "llama3"}):
 * frequencies with wavelengths longer than {@code originalMaxPositions / lowFreqFactor} are divided by
 * {@code factor}, shorter than {@code originalMaxPositions / highFreqFactor} kept, and those between
 * interpolated smoothly (Meta's Llama 3.1 release; transformers' {@code _compute_llama3_parameters}).
 */
public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
    public RopeScaling {
        check("factor", factor > 0 && factor < Double.POSITIVE_INFINITY, "must be a finite number > 0", factor);
        check("low_freq_factor", lowFreqFactor > 0 && lowFreqFactor < Double.POSITIVE_INFINITY,
                "must be a finite number > 0", lowFreqFactor);
        check("high_freq_factor", highFreqFactor > lowFreqFactor && highFreqFactor < Double.POSITIVE_INFINITY,
                "must be finite and greater than low_freq_factor (" + lowFreqFactor + ")", highFreqFactor);
        check("original_max_position_embeddings", originalMaxPositions > 0, "must be > 0", originalMaxPositions);
    }

    private static void check(String field, boolean ok, String what, Object got) {
        if (!ok) {
            throw new IllegalArgumentException("rope_scaling." + field + ": " + what + ", got " + got);
        }
    }

    /** Scales inverse frequencies (radians per position) as Llama 3 does. */
    public double[] apply(double[] invFreq) {
        double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
        double highFreqWavelen = originalMaxPositions / highFreqFactor;
        double[] out = new double[invFreq.length];
        for (int i = 0; i < invFreq.length; i++) {
            double wavelen = 2 * Math.PI / invFreq[i];
            if (wavelen > lowFreqWavelen) {
                out[i] = invFreq[i] / factor;
            } else if (wavelen < highFreqWavelen) {
                out[i] = invFreq[i];
            } else {
                double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                out[i] = (1 - smooth) * invFreq[i] / factor + smooth * invFreq[i];
            }
        }
        return out;
    }
}

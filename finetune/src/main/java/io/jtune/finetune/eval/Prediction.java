package io.jtune.finetune.eval;

/**
 * What a model did with one case.
 *
 * @param text the generated answer (special tokens removed)
 * @param generatedTokens how many tokens it generated
 * @param latencyMs the case's share of its batch's generation time
 * @param referenceLoss the mean cross-entropy per token of the reference answer; NaN if not computed
 * @param referenceTokens how many reference tokens that mean is over
 */
public record Prediction(String text, int generatedTokens, double latencyMs, double referenceLoss, int referenceTokens) {
    /** Generated tokens per second of latency; NaN when nothing was generated. */
    public double tokensPerSecond() {
        return generatedTokens == 0 || latencyMs <= 0 ? Double.NaN : generatedTokens / (latencyMs / 1000);
    }
}

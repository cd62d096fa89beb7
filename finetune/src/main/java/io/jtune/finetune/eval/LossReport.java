package io.jtune.finetune.eval;

/**
 * The loss of a model on a set of texts, every token counted (as in pre-training).
 *
 * @param label which model ("adapter off", "adapter on")
 * @param loss mean cross-entropy per token
 * @param tokens how many tokens
 */
public record LossReport(String label, double loss, long tokens) {
    public double perplexity() {
        return Math.exp(loss);
    }
}

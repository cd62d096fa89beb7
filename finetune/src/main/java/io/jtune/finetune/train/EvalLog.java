package io.jtune.finetune.train;

/**
 * One evaluation on the validation examples.
 *
 * @param step the optimizer steps taken when it ran
 * @param loss mean cross-entropy over the validation target tokens
 * @param targetTokens tokens it was taken on
 * @param improved whether it is the best so far by more than the run's min delta
 */
public record EvalLog(long step, double loss, long targetTokens, boolean improved) {
    /** exp(loss). */
    public double perplexity() {
        return Math.exp(loss);
    }
}

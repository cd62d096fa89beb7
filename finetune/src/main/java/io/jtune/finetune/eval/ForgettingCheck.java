package io.jtune.finetune.eval;

import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Loss and perplexity on general held-out text before and after fine-tuning, beside the task
 * metrics, so that a lift bought by forgetting what the base knew shows.
 */
public record ForgettingCheck(LossReport before, LossReport after) {
    /** How much the loss rose (positive: the tuned model predicts general text worse). */
    public double lossIncrease() {
        return after.loss() - before.loss();
    }

    /** The perplexity ratio after / before (1.0: nothing forgotten). */
    public double perplexityRatio() {
        return after.perplexity() / before.perplexity();
    }

    public Table table() {
        StringColumn what = StringColumn.create("general text");
        DoubleColumn b = DoubleColumn.create(before.label());
        DoubleColumn a = DoubleColumn.create(after.label());
        DoubleColumn d = DoubleColumn.create("difference");
        what.append("loss");
        b.append(before.loss());
        a.append(after.loss());
        d.append(lossIncrease());
        what.append("perplexity");
        b.append(before.perplexity());
        a.append(after.perplexity());
        d.append(after.perplexity() - before.perplexity());
        return Table.create("forgetting check (" + before.tokens() + " tokens)", what, b, a, d);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "general-text perplexity %.3f -> %.3f (x%.3f) over %d tokens", before.perplexity(),
                after.perplexity(), perplexityRatio(), before.tokens());
    }
}

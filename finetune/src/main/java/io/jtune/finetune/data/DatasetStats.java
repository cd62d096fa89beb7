package io.jtune.finetune.data;

import java.util.List;
import java.util.Locale;

/**
 * Token lengths of a set of examples, counted with a tokenizer on the raw text, without special
 * tokens or a chat template. The prompt is every turn before the last assistant turn, contents
 * joined by a newline; the response is the last assistant turn; total is prompt plus response.
 * {@code truncated} counts the examples whose total is above {@code maxLen}.
 */
public record DatasetStats(LengthStats prompt, LengthStats response, LengthStats total, int maxLen,
                           int truncated, List<Integer> totalLengths) {
    /** The most bins {@link #histogram()} uses. */
    public static final int BINS = 20;

    public DatasetStats {
        totalLengths = List.copyOf(totalLengths);
    }

    /** Total lengths in up to {@link #BINS} bins of equal integer width. */
    public LengthHistogram histogram() {
        return LengthHistogram.of(totalLengths, BINS);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d examples%n  prompt:   %s%n  response: %s%n  total:    %s%n"
                        + "  %d over maxLen %d would be truncated",
                total.count(), prompt, response, total, truncated, maxLen);
    }
}

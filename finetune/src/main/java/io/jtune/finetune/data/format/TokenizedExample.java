package io.jtune.finetune.data.format;

import io.jtune.finetune.data.SourceRef;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tokenized training example: token ids and, for each, the label the loss is computed against
 * ({@link LabelMasker#IGNORE} where no loss is taken; the model shifts labels by one itself), and
 * where the example came from.
 */
public record TokenizedExample(int[] inputIds, int[] labels, SourceRef source) {
    public TokenizedExample {
        Objects.requireNonNull(inputIds, "inputIds");
        Objects.requireNonNull(labels, "labels");
        if (inputIds.length != labels.length) {
            throw new IllegalArgumentException("inputIds has " + inputIds.length + " tokens but labels has " + labels.length);
        }
    }

    /** The number of tokens. */
    public int length() {
        return inputIds.length;
    }

    /** The number of tokens the loss is computed on. */
    public int trainedTokens() {
        int n = 0;
        for (int l : labels) {
            if (l != LabelMasker.IGNORE) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenizedExample t && Arrays.equals(inputIds, t.inputIds) && Arrays.equals(labels, t.labels)
                && Objects.equals(source, t.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(inputIds), Arrays.hashCode(labels), source);
    }

    @Override
    public String toString() {
        return "TokenizedExample[" + source + ", " + inputIds.length + " tokens, " + trainedTokens() + " trained]";
    }
}

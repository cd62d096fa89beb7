package io.jtune.finetune.data.format;

import io.jtune.finetune.data.SourceRef;
/** An example that was not kept for training, and why (e.g. its whole response was truncated away). */
public record LabelProblem(SourceRef source, String message) {
    @Override
    public String toString() {
        return source + ": " + message;
    }
}

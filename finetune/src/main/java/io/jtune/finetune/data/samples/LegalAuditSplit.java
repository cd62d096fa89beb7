package io.jtune.finetune.data.samples;

import io.jtune.finetune.data.Example;
import java.util.List;

/**
 * Training and held-out legal audit items; held-out items use only fact values that no training
 * item uses (see {@link LegalFactPools}).
 */
public record LegalAuditSplit(List<LegalAuditItem> train, List<LegalAuditItem> heldOut) {
    public LegalAuditSplit {
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
    }

    /** The training examples. */
    public List<Example> trainExamples() {
        return train.stream().map(LegalAuditItem::example).toList();
    }

    /** The held-out examples. */
    public List<Example> heldOutExamples() {
        return heldOut.stream().map(LegalAuditItem::example).toList();
    }
}

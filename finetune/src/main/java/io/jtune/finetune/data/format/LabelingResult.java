package io.jtune.finetune.data.format;

import java.util.List;

/** What {@link LabelMasker} produced: the examples kept for training, in input order, and the ones it refused. */
public record LabelingResult(List<TokenizedExample> examples, List<LabelProblem> problems) {
    public LabelingResult {
        examples = List.copyOf(examples);
        problems = List.copyOf(problems);
    }
}

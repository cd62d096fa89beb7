package io.jtune.magics.ft;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.format.LabelMasker;
import io.jtune.finetune.data.format.LabelingResult;
import io.jtune.finetune.data.format.PromptFormat;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.tokenize.Tokenizer;
import io.jtune.kernel.magic.MagicException;
import java.util.List;

/** Examples formatted and labelled as training and evaluation see them: the chat template, or alpaca without one. */
final class Prepared {
    private Prepared() {
    }

    static List<TokenizedExample> labelled(Tokenizer tok, List<Example> examples, int maxLen, String what, String magic)
            throws MagicException {
        LabelingResult r = new LabelMasker(tok, maxLen).maskAll(examples, PromptFormat.auto(tok));
        if (r.examples().isEmpty() && !examples.isEmpty()) {
            throw new MagicException("%" + magic + ": none of the " + examples.size() + " " + what + " examples could be"
                    + " labelled, e.g. " + r.problems().get(0));
        }
        return r.examples();
    }
}

package io.jtune.finetune.cli;

import ai.djl.ndarray.NDManager;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ForwardInput;
import io.jtune.finetune.model.ModelConfig;
import io.jtune.finetune.model.ModelConfigReader;
import io.jtune.finetune.model.TokenLimits;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jtune next-token MODEL}: the next-token distribution after a prompt. */
@Command(name = "next-token", description = "The next-token distribution at the last position")
final class NextTokenCommand implements Callable<Integer> {
    @Mixin
    ModelInput input;

    @Option(names = "--top", paramLabel = "K", defaultValue = "10", description = "Show the K likeliest tokens (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--json", description = "Print every token's logit and probability as JSON")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = input.locate();
        ModelConfig config = ModelConfigReader.read(dir);
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            int[] ids = input.ids(tokenizer);
            TokenLimits.checkPrompt(config, ids, 0); // before the weights take seconds to load
            try (CausalLm model = input.load(dir); NDManager scope = model.manager().newSubManager()) {
                return show(out, tokenizer, model, scope, ids);
            }
        }
    }

    private int show(PrintWriter out, Tokenizer tokenizer, CausalLm model, NDManager scope, int[] ids) {
        float[] logits = model.lastLogits(scope, ForwardInput.of(new int[][] {ids}), null).toFloatArray();
        NextTokenTable table = NextTokenTable.of(logits, id -> {
            String text = tokenizer.decode(new int[] {id}, false);
            // a byte-level token that is part of a character decodes to U+FFFD: show its vocabulary entry
            return text.contains("\uFFFD") ? "<" + tokenizer.tokenText(id) + ">" : text;
        });
        out.print(json ? table.json(ids) : table.text(top));
        out.flush();
        return 0;
    }
}

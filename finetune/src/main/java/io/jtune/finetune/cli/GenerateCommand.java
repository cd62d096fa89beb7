package io.jtune.finetune.cli;

import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.GenerationConfig;
import io.jtune.finetune.model.GenerationResult;
import io.jtune.finetune.model.Generator;
import io.jtune.finetune.model.ModelConfig;
import io.jtune.finetune.model.ModelConfigReader;
import io.jtune.finetune.model.TokenLimits;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jtune generate MODEL}: streams the text a model generates for a prompt. */
@Command(name = "generate", description = "Generate text with a Hugging Face model")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelInput input;

    @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "64", description = "At most N new tokens (default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--greedy", description = "Always take the likeliest token (the default unless --temperature is given)")
    boolean greedy;

    @Option(names = "--temperature", paramLabel = "T", description = "Sample with temperature T")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0", description = "Nucleus sampling: the smallest set with probability P (default: ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "Sample among the K likeliest tokens (0: all)")
    int topK;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "The sampling seed (default: ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--repetition-penalty", paramLabel = "R", defaultValue = "1.0", description = "Penalize tokens already seen (1.0: off)")
    double repetitionPenalty;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when the text ends with TEXT (repeatable)")
    List<String> stop = List.of();

    @Option(names = "--no-cache", description = "Recompute the whole sequence each step (no KV cache)")
    boolean noCache;

    @Option(names = "--print-ids", description = "Print the prompt's and the new token ids after the text")
    boolean printIds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = input.locate();
        ModelConfig config = ModelConfigReader.read(dir);
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            int[] ids = input.ids(tokenizer);
            TokenLimits.checkPrompt(config, ids, maxNewTokens); // before the weights take seconds to load
            try (CausalLm model = input.load(dir)) {
                return generate(out, tokenizer, model, ids);
            }
        }
    }

    private int generate(PrintWriter out, Tokenizer tokenizer, CausalLm model, int[] ids) {
        int[] eos = tokenizer.eosIds().length > 0 ? tokenizer.eosIds() : model.config().eosTokenIds();
        boolean isGreedy = greedy || temperature == null;
        GenerationConfig g = new GenerationConfig(maxNewTokens, isGreedy, temperature == null ? 1.0 : temperature,
                topK, topP, repetitionPenalty, seed, eos, stop, !noCache);
        int[] printed = {0};
        Generator gen = new Generator(model, t -> tokenizer.decode(t, true));
        GenerationResult r = gen.generate(ids, g, (row, token, text) -> {
            // stream the text as it grows (a token may complete a multi-byte character later)
            if (text.length() > printed[0] && !text.endsWith("\uFFFD")) {
                out.print(text.substring(printed[0]));
                out.flush();
                printed[0] = text.length();
            }
        });
        if (r.text().length() > printed[0]) {
            out.print(r.text().substring(printed[0]));
        }
        out.println();
        if (printIds) {
            out.println("prompt ids: " + Arrays.toString(ids));
            out.println("new ids:    " + Arrays.toString(r.tokens()));
        }
        out.flush();
        System.err.println("[" + r.tokens().length + " tokens, stopped: " + r.stopReason() + "]");
        return 0;
    }
}

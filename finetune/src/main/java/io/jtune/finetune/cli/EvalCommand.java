package io.jtune.finetune.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.data.Dataset;
import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.LoadPolicy;
import io.jtune.finetune.data.SplitSpec;
import io.jtune.finetune.data.format.PromptFormat;
import io.jtune.finetune.data.read.DatasetLoader;
import io.jtune.finetune.eval.ClassificationReport;
import io.jtune.finetune.eval.Comparison;
import io.jtune.finetune.eval.EvalCase;
import io.jtune.finetune.eval.EvalConfig;
import io.jtune.finetune.eval.EvalListener;
import io.jtune.finetune.eval.EvalResult;
import io.jtune.finetune.eval.Evaluator;
import io.jtune.finetune.io.hub.ModelLocator;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.quant.Quantization;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jtune eval MODEL --data FILE}: the metric table of a model (or adapter off against on) over a data file. */
@Command(name = "eval", description = "Evaluate a model, or a LoRA adapter against its base, on a data file")
final class EvalCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "A model folder, a cache entry, a Hub id, or base")
    String model;

    @Option(names = "--data", paramLabel = "FILE", required = true, description = "Evaluation data: JSONL, JSON, CSV or TSV"
            + " (the last assistant turn of each row is the reference answer)")
    Path data;

    @Option(names = "--format", defaultValue = "auto", description = "auto, alpaca, messages, prompt_completion, sharegpt")
    String format;

    @Option(names = "--prompt-format", defaultValue = "auto", description = "auto (the run's, when --adapter lies in a"
            + " run folder; else the chat template if the tokenizer has one, else alpaca), chat or alpaca")
    String promptFormat;

    @Option(names = "--adapter", paramLabel = "DIR", description = "A PEFT LoRA adapter folder to apply")
    Path adapter;

    @Option(names = "--compare-adapter-off", description = "Evaluate with the adapter off, then on, and print the"
            + " before/after table with 95 % bootstrap intervals")
    boolean compare;

    @Option(names = "--quant", defaultValue = "none", description = "none or nf4 (the base as QLoRA trained it)")
    String quant;

    @Option(names = "--metrics", defaultValue = "em,f1,rougeL,loss,latency", description = "Comma-separated: em, f1,"
            + " rougeL, verdict, json, regex:PATTERN, refusal, loss, latency (default: ${DEFAULT-VALUE})")
    String metrics;

    @Option(names = "--max-new-tokens", defaultValue = "128", description = "Most tokens per answer (default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--batch", defaultValue = "16", description = "Prompts generated together (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--limit", defaultValue = "0", description = "Evaluate only the first N rows (0: all)")
    int limit;

    @Option(names = "--seed", defaultValue = "42", description = "The bootstrap's seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the per-example results: .jsonl or .csv")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        if (compare && adapter == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--compare-adapter-off needs --adapter DIR");
        }
        EvalConfig config;
        try {
            config = EvalConfig.defaults().withMetrics(metrics).withMaxNewTokens(maxNewTokens).withBatchSize(batch)
                    .withSampling(0, seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path dir = ModelLocator.fromEnvironment((f, d, t) -> {}).locate(model);
        Dataset ds = DatasetLoader.builder().split(SplitSpec.NONE).policy(LoadPolicy.STRICT).build().load(data);
        List<Example> rows = ds.train();
        if (limit > 0 && rows.size() > limit) {
            rows = rows.subList(0, limit);
        }
        String name = data.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        List<EvalCase> cases = EvalCase.of(name, rows);
        try (Tokenizer tok = Tokenizer.load(dir); CausalLm lm = ModelLoader.load(dir, Quantization.parse(quant))) {
            PromptFormat pf = promptFormat(tok);
            w.println("data: " + cases.size() + " cases from " + data + "; prompt format " + pf.describe());
            Evaluator ev = new Evaluator(lm, tok, pf);
            EvalListener progress = (label, done, total, rate, eta) -> {
                System.err.printf(Locale.ROOT, "\r%s: %d/%d cases, %.2f cases/s, ETA %.0f s", label, done, total, rate, eta);
                if (done == total) {
                    System.err.println();
                }
            };
            EvalResult result;
            if (adapter != null) {
                LoraModel lora = LoraModel.load(lm, adapter);
                w.println("adapter " + adapter + ": " + lora);
                if (compare) {
                    Comparison c = ev.compareAdapter(lora, cases, config, progress);
                    w.println(c.table().print());
                    verdicts(w, c.before());
                    verdicts(w, c.after());
                    result = c.after();
                } else {
                    result = ev.run("adapter on", cases, config, progress);
                    w.println(result.summary().print());
                    verdicts(w, result);
                }
            } else {
                result = ev.run(name(dir), cases, config, progress);
                w.println(result.summary().print());
                verdicts(w, result);
            }
            if (out != null) {
                if (out.toString().endsWith(".csv")) {
                    result.saveCsv(out);
                } else {
                    result.saveJsonl(out);
                }
                w.println("per-example results: " + out);
            }
        }
        return 0;
    }

    private static String name(Path dir) {
        return dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    }

    private static void verdicts(PrintWriter w, EvalResult r) {
        if (r.metrics().stream().anyMatch(m -> m.name().equals("verdict_accuracy"))) {
            ClassificationReport c = r.verdicts();
            w.println(r.label() + ": verdict " + c);
            w.println(c.confusionMatrix().print());
        }
    }

    private PromptFormat promptFormat(Tokenizer tok) throws Exception {
        String chosen = promptFormat;
        if (chosen.equalsIgnoreCase("auto") && adapter != null) {
            chosen = runPromptFormat(adapter).orElse("auto");
        }
        try {
            return PromptFormat.named(chosen, tok);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prompt-format " + promptFormat
                    + " is not one of auto, chat, alpaca");
        }
    }

    /** The prompt format in the run.json of the adapter's folder or the one above (a run's checkpoint-N). */
    static Optional<String> runPromptFormat(Path adapter) throws Exception {
        Path d = adapter.toAbsolutePath();
        for (int level = 0; level < 2 && d != null; level++, d = d.getParent()) {
            Path manifest = d.resolve("run.json");
            if (Files.isRegularFile(manifest)) {
                String pf = new ObjectMapper().readTree(manifest.toFile()).path("settings").path("prompt-format").asText("");
                return pf.isEmpty() ? Optional.empty() : Optional.of(pf.toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }
}

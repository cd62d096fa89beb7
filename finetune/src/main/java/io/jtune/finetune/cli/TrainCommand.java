package io.jtune.finetune.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jtune.finetune.data.Dataset;
import io.jtune.finetune.data.LoadPolicy;
import io.jtune.finetune.data.SplitSpec;
import io.jtune.finetune.data.batch.Batcher;
import io.jtune.finetune.data.format.LabelMasker;
import io.jtune.finetune.data.format.LabelingResult;
import io.jtune.finetune.data.format.PromptFormat;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.data.read.DatasetLoader;
import io.jtune.finetune.data.read.RowFormat;
import io.jtune.finetune.io.hub.ModelLocator;
import io.jtune.finetune.lora.LoraConfig;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.lora.TargetModules;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.quant.MemoryReport;
import io.jtune.finetune.quant.Quantization;
import io.jtune.finetune.tokenize.Tokenizer;
import io.jtune.finetune.train.EvalLog;
import io.jtune.finetune.train.LrSchedule;
import io.jtune.finetune.train.MemoryEstimate;
import io.jtune.finetune.train.RunControl;
import io.jtune.finetune.train.RunManifest;
import io.jtune.finetune.train.StepLog;
import io.jtune.finetune.train.TrainConfig;
import io.jtune.finetune.train.TrainListener;
import io.jtune.finetune.train.TrainPlan;
import io.jtune.finetune.train.TrainResult;
import io.jtune.finetune.train.TrainTarget;
import io.jtune.finetune.train.Trainer;
import io.jtune.finetune.train.WeightsFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jtune train}: fine-tunes a model on an instruction dataset with LoRA or in full, from
 * options or from a YAML/JSON file whose keys are the long option names without dashes
 * ({@code max-steps: 200}); options given on the command line override the file's.
 */
@Command(name = "train", description = "Fine-tune a model on a dataset (LoRA, QLoRA or full)", sortOptions = false)
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "A YAML or JSON file of options")
    Path configFile;

    @Option(names = "--model", paramLabel = "MODEL", description = "A model folder, a cache entry or a Hub id")
    String model;

    @Option(names = "--data", paramLabel = "FILE", description = "Training data: JSONL, JSON, CSV or TSV")
    Path data;

    @Option(names = "--format", defaultValue = "auto", description = "auto, alpaca, messages, prompt_completion, sharegpt")
    String format;

    @Option(names = "--policy", defaultValue = "strict", description = "strict (any bad or repeated row stops the"
            + " load) or skip (such rows are left out and reported)")
    String policy;

    @Option(names = "--prompt-format", defaultValue = "auto", description = "auto (chat template if the tokenizer"
            + " has one, else alpaca), chat or alpaca")
    String promptFormat;

    @Option(names = "--method", defaultValue = "lora", description = "lora, qlora (LoRA on an NF4 base) or full")
    String method;

    @Option(names = "--r", defaultValue = "8", description = "LoRA rank (default: ${DEFAULT-VALUE})")
    int r;

    @Option(names = "--alpha", defaultValue = "16", description = "LoRA alpha (default: ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--dropout", defaultValue = "0.05", description = "LoRA dropout (default: ${DEFAULT-VALUE})")
    double dropout;

    @Option(names = "--targets", defaultValue = "q_proj,v_proj", description = "Module names, a regex or all-linear")
    String targets;

    @Option(names = "--rslora", description = "Scale by alpha/sqrt(r)")
    boolean rslora;

    @Option(names = "--epochs", defaultValue = "3", description = "Passes over the data (default: ${DEFAULT-VALUE})")
    double epochs;

    @Option(names = "--max-steps", defaultValue = "0", description = "Optimizer steps; overrides --epochs when > 0")
    long maxSteps;

    @Option(names = "--lr", defaultValue = "2e-4", description = "Peak learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--schedule", defaultValue = "linear", description = "constant, linear or cosine")
    String schedule;

    @Option(names = "--warmup", defaultValue = "0", description = "Warmup: steps (>= 1) or a ratio of the steps (< 1)")
    double warmup;

    @Option(names = "--batch", defaultValue = "4", description = "Examples per micro-batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--accum", defaultValue = "1", description = "Micro-batches per step (default: ${DEFAULT-VALUE})")
    int accum;

    @Option(names = "--max-len", defaultValue = "512", description = "Tokens per example, and per packed row")
    int maxLen;

    @Option(names = "--packing", description = "Pack examples end to end into rows of --max-len tokens")
    boolean packing;

    @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW weight decay")
    double weightDecay;

    @Option(names = "--max-grad-norm", defaultValue = "1.0", description = "Global gradient clipping (0: off)")
    double maxGradNorm;

    @Option(names = "--neftune", defaultValue = "0", description = "NEFTune noise alpha during training (e.g. 5; 0: off)")
    double neftune;

    @Option(names = "--gradient-checkpointing", description = "Recompute each decoder layer in the backward pass"
            + " (less memory, more compute)")
    boolean gradientCheckpointing;

    @Option(names = "--optim", defaultValue = "adamw", description = "adamw (f32 moments) or adamw_8bit (8-bit"
            + " block-wise moments, as bitsandbytes)")
    String optim;

    @Option(names = "--val", defaultValue = "0.1", description = "Share of the data held out for evaluation")
    double val;

    @Option(names = "--eval-every", defaultValue = "0", description = "Evaluate every N steps (and at the end)")
    int evalEvery;

    @Option(names = "--patience", defaultValue = "0", description = "Early stopping after N evaluations without improvement")
    int patience;

    @Option(names = "--save-every", defaultValue = "0", description = "A checkpoint every N steps (and one at the end)")
    int saveEvery;

    @Option(names = "--keep-last", defaultValue = "0", description = "Keep the newest N checkpoints (0: all)")
    int keepLast;

    @Option(names = "--out", paramLabel = "DIR", description = "The run folder (default: runs/train-<time>)")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "A checkpoint folder of this run to continue from")
    Path resume;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the data order, dropout and adapter init")
    long seed;

    @Option(names = "--log-every", defaultValue = "1", description = "Print a progress line every N steps")
    int logEvery;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (configFile != null) {
            return fromFile();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (model == null || data == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --model and --data (or a CONFIG file)");
        }
        Path runDir = this.out != null ? this.out : Path.of("runs", "train-" + java.time.LocalDateTime.now()
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path modelDir = ModelLocator.fromEnvironment((f, d, t) -> {}).locate(model);
        int positions = io.jtune.finetune.model.ModelConfigReader.read(modelDir).maxPositionEmbeddings();
        if (maxLen > positions) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-len " + maxLen + " exceeds the model's"
                    + " max_position_embeddings " + positions + " (" + modelDir.resolve("config.json") + ")");
        }
        if (!List.of("lora", "qlora", "full").contains(method)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--method " + method
                    + " is not one of lora, qlora, full");
        }
        try (Tokenizer tok = Tokenizer.load(modelDir);
                CausalLm lm = ModelLoader.load(modelDir, method.equals("qlora") ? Quantization.NF4 : Quantization.NONE)) {
            DatasetLoader.Builder loader = DatasetLoader.builder()
                    .split(val > 0 ? SplitSpec.ratio(val, seed) : SplitSpec.NONE).policy(loadPolicy());
            RowFormat rows = rowFormat();
            if (rows != null) {
                loader.format(rows);
            }
            Dataset ds = loader.build().load(data);
            out.println("data: " + ds.report() + "; " + ds.train().size() + " training, " + ds.validation().size()
                    + " validation examples");
            PromptFormat pf = promptFormat(tok);
            LabelMasker masker = new LabelMasker(tok, maxLen);
            List<TokenizedExample> trainSet = labelled(masker.maskAll(ds.train(), pf), "training", out);
            List<TokenizedExample> valSet = ds.validation().isEmpty() ? List.of()
                    : labelled(masker.maskAll(ds.validation(), pf), "validation", out);
            TrainConfig config = trainConfig();
            RunControl control = RunControl.into(runDir).withEval(evalEvery, patience, 0, patience > 0)
                    .withCheckpoints(saveEvery, keepLast);
            LoraModel lora = null;
            TrainTarget target;
            if (method.equals("qlora")) {
                out.println("base: " + MemoryReport.of(lm));
            }
            if (!method.equals("full")) {
                LoraConfig lc = LoraConfig.defaults().withRank(r, alpha).withDropout(dropout)
                        .withTargets(TargetModules.parse(targets)).withRslora(rslora).withBaseModel(model);
                lora = LoraModel.attach(lm, lc, seed);
                out.println(lora.count());
                target = TrainTarget.lora(lora);
            } else {
                target = TrainTarget.full(lm);
                out.printf(Locale.ROOT, "trainable params: %,d (every weight)%n",
                        target.parameters().values().stream().mapToLong(a -> a.size()).sum());
            }
            Trainer trainer = new Trainer(target, config, control);
            RunManifest.write(runDir, settings(), Map.of("data_order_and_dropout", seed, "adapter_init", seed),
                    List.of(data), modelDir);
            int pad = Batcher.forTokenizer(tok, 1).padId();
            TrainPlan plan = trainer.plan(trainSet);
            MemoryEstimate mem = plan.memory();
            out.printf(Locale.ROOT, "memory estimate: weights %s, trained %s + gradients %s + AdamW %s,"
                    + " activations %s (checkpointed %s): peak about %s%n", mb(mem.weights()), mb(mem.trained()),
                    mb(mem.gradients()), mb(mem.optimizer()), mb(mem.activations()), mb(mem.activationsCheckpointed()),
                    mb(mem.total()));
            double calibrated = trainer.calibrate(trainSet, pad, 2);
            out.printf(Locale.ROOT, "time estimate: %.0f tokens/s on the first batch, about %.1f s for the run%n",
                    calibrated, plan.secondsAt(calibrated));
            TrainResult result = trainer.train(trainSet, valSet, pad, progress(out), resume);
            Path saved = runDir.resolve(lora != null ? "adapter" : "model");
            if (lora != null) {
                lora.save(saved);
            } else {
                WeightsFolder.write(saved, lm, modelDir);
            }
            out.printf(Locale.ROOT, "%s after %d steps in %.1f s; final loss %.4f%n",
                    result.stopped() ? "stopped" : result.earlyStopped() ? "stopped early" : "finished",
                    result.steps().isEmpty() ? 0 : result.steps().get(result.steps().size() - 1).step(),
                    result.seconds(), result.finalLoss());
            double measured = result.steps().stream().mapToDouble(x -> x.tokens()).sum()
                    / Math.max(1e-9, result.steps().stream().mapToDouble(x -> x.seconds()).sum());
            long peak = MemoryEstimate.measuredPeakRss();
            out.printf(Locale.ROOT, "measured: %.0f tokens/s%s%n", measured,
                    peak > 0 ? ", peak resident memory " + mb(peak) + " (the JVM and the engine included)" : "");
            if (result.best() != null) {
                out.printf(Locale.ROOT, "best eval loss %.4f%s%n", result.best().loss(),
                        result.restoredBest() ? " (weights restored to it)" : "");
            }
            out.println((lora != null ? "adapter: " : "model: ") + saved);
            out.println("run folder: " + runDir + " (run.json, metrics.jsonl"
                    + (result.lastCheckpoint() != null ? ", " + result.lastCheckpoint().getFileName() : "") + ")");
            if (result.stopped()) {
                out.println("resume with: --resume " + result.lastCheckpoint());
            }
            out.flush();
            return 0;
        }
    }

    /** Re-parses with the file's options first and this command line's after them (they win). */
    private int fromFile() throws IOException {
        String name = configFile.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        Map<?, ?> map;
        try {
            map = mapper.readValue(configFile.toFile(), Map.class);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), configFile + ": " + e.getMessage());
        }
        List<String> args = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = "--" + String.valueOf(e.getKey()).replace('_', '-');
            if (spec.findOption(key) == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), configFile + ": unknown option '"
                        + e.getKey() + "' (options are the long names of ./jtune train --help)");
            }
            if (e.getValue() instanceof Boolean b) {
                if (b) {
                    args.add(key);
                }
            } else {
                args.add(key);
                args.add(String.valueOf(e.getValue()));
            }
        }
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        for (String a : original) {
            if (!a.equals(String.valueOf(configFile)) && !a.equals("train")) {
                args.add(a);
            }
        }
        CommandLine again = new CommandLine(new TrainCommand());
        again.setOverwrittenOptionsAllowed(true);
        again.setOut(spec.commandLine().getOut());
        again.setErr(spec.commandLine().getErr());
        return again.execute(args.toArray(String[]::new));
    }

    private boolean optimizer8bit() {
        return switch (optim.toLowerCase(Locale.ROOT)) {
            case "adamw", "adamw_torch" -> false;
            case "adamw_8bit", "adamw8bit" -> true;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--optim " + optim
                    + " is not one of adamw, adamw_8bit");
        };
    }

    private LoadPolicy loadPolicy() {
        return switch (policy.toLowerCase(Locale.ROOT)) {
            case "strict" -> LoadPolicy.STRICT;
            case "skip" -> LoadPolicy.SKIP;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--policy " + policy
                    + " is not one of strict, skip");
        };
    }

    private RowFormat rowFormat() {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "auto" -> null;
            case "alpaca" -> RowFormat.ALPACA;
            case "messages" -> RowFormat.MESSAGES;
            case "prompt_completion", "prompt-completion" -> RowFormat.PROMPT_COMPLETION;
            case "sharegpt" -> RowFormat.SHAREGPT;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--format " + format
                    + " is not one of auto, alpaca, messages, prompt_completion, sharegpt");
        };
    }

    private PromptFormat promptFormat(Tokenizer tok) {
        try {
            return PromptFormat.named(promptFormat, tok);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prompt-format " + promptFormat
                    + " is not one of auto, chat, alpaca");
        }
    }

    private static List<TokenizedExample> labelled(LabelingResult r, String what, PrintWriter out) {
        if (!r.problems().isEmpty()) {
            out.println(r.problems().size() + " " + what + " examples could not be labelled, e.g. "
                    + r.problems().get(0));
        }
        return r.examples();
    }

    private TrainConfig trainConfig() {
        long warmupSteps = warmup >= 1 ? (long) warmup : 0;
        double warmupRatio = warmup >= 1 ? 0 : warmup;
        return TrainConfig.defaults().withSteps(epochs, maxSteps)
                .withLearningRate(lr, LrSchedule.parse(schedule), warmupSteps, warmupRatio)
                .withBatch(batch, accum).withOptimizer(weightDecay, 0.9, 0.999, 1e-8, maxGradNorm)
                .withOrder(seed, true).withPacking(packing ? maxLen : 0)
                .withNeftune(neftune).withGradientCheckpointing(gradientCheckpointing)
                .withOptimizer8bit(optimizer8bit());
    }

    private Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (CommandLine.Model.OptionSpec o : spec.options()) {
            Object v = o.getValue();
            if (!o.usageHelp() && !o.versionHelp()) {
                m.put(o.longestName().replaceFirst("^--", ""), v == null ? null : v instanceof Path ? v.toString() : v);
            }
        }
        return m;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private TrainListener progress(PrintWriter out) {
        return new TrainListener() {
            @Override
            public void onStart(TrainPlan plan) {
                out.printf(Locale.ROOT, "plan: %d examples, %,d target tokens per epoch, %d steps (%d per epoch),"
                        + " effective batch %d, warmup %d%n", plan.examples(), plan.targetTokensPerEpoch(),
                        plan.totalSteps(), plan.stepsPerEpoch(), plan.effectiveBatch(), plan.warmupSteps());
                out.flush();
            }

            @Override
            public void onStep(StepLog s) {
                if (s.step() % Math.max(1, logEvery) == 0 || s.step() == s.totalSteps()) {
                    out.printf(Locale.ROOT, "step %d/%d  epoch %.2f  loss %.4f  lr %.3g  grad norm %.3f  %.0f tokens/s"
                            + "  ETA %.0f s%n", s.step(), s.totalSteps(), s.epoch(), s.loss(), s.learningRate(),
                            s.gradNorm(), s.tokensPerSecond(), s.etaSeconds());
                    out.flush();
                }
            }

            @Override
            public void onEval(EvalLog e) {
                out.printf(Locale.ROOT, "eval at step %d: loss %.4f  perplexity %.2f%s%n", e.step(), e.loss(),
                        e.perplexity(), e.improved() ? "  (best)" : "");
                out.flush();
            }
        };
    }
}

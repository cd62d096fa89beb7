package io.jtune.finetune.base;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.io.Folders;
import io.jtune.finetune.data.batch.Batcher;
import io.jtune.finetune.data.format.LabelMasker;
import io.jtune.finetune.data.format.LabelingResult;
import io.jtune.finetune.data.format.PromptFormat;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.data.samples.LegalPretrainCorpus;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.model.TinyModels;
import io.jtune.finetune.tokenize.Tokenizer;
import io.jtune.finetune.train.LrSchedule;
import io.jtune.finetune.train.StepLog;
import io.jtune.finetune.train.TrainConfig;
import io.jtune.finetune.train.TrainListener;
import io.jtune.finetune.train.TrainPlan;
import io.jtune.finetune.train.TrainResult;
import io.jtune.finetune.train.Trainer;
import io.jtune.finetune.train.WeightsFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Builds the built-in base model from nothing: generates the pre-training conversations, learns a
 * byte-level BPE tokenizer from them, initialises a Llama of {@link BaseModelRecipe#spec()}'s shape
 * with random weights, trains every weight on the conversations (packed rows, loss on every token,
 * AdamW with a cosine schedule), and writes a Hugging Face model folder with a model card and the
 * training log. The folder is written beside the destination and renamed into place at the end, so
 * an interrupted build leaves the old model as it was.
 */
public final class BaseModelBuilder {
    /** The human-readable log of the build, in the model folder. */
    public static final String LOG_FILE = "training-log.txt";

    private final BaseModelRecipe recipe;
    private final Consumer<String> progress;

    /** A builder for {@code recipe} that reports each step to {@code progress}. */
    public BaseModelBuilder(BaseModelRecipe recipe, Consumer<String> progress) {
        this.recipe = recipe;
        this.progress = progress;
    }

    /** What a build did. */
    public record Result(Path folder, long parameters, long tokens, long steps, double firstLoss, double finalLoss,
            double seconds, double tokensPerSecond) {}

    /** Builds the model into {@code dest}, replacing what is there. */
    public Result build(Path dest) throws IOException {
        long start = System.nanoTime();
        Path parent = dest.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path work = Files.createTempDirectory(parent, "." + dest.getFileName() + "-build-");
        Path init = work.resolve("init");
        Path out = work.resolve("model");
        List<String> log = new ArrayList<>();
        Consumer<String> say = line -> {
            log.add(line);
            progress.accept(line);
        };
        try {
            List<Example> corpus = new LegalPretrainCorpus().generate(recipe.conversations(), recipe.seed());
            say.accept(String.format(Locale.ROOT, "corpus: %,d conversations (seed %d)", corpus.size(), recipe.seed()));
            StringBuilder text = new StringBuilder();
            for (Example e : corpus.subList(0, Math.min(recipe.tokenizerConversations(), corpus.size()))) {
                for (Message m : e.messages()) {
                    text.append(m.content()).append('\n');
                }
            }
            long t0 = System.nanoTime();
            TinyModels.write(init, recipe.spec(), recipe.seed(), text.toString());
            say.accept(String.format(Locale.ROOT, "tokenizer: %,d tokens learned from %,d characters in %.1f s",
                    recipe.spec().vocabSize(), text.length(), (System.nanoTime() - t0) / 1e9));
            Result r;
            try (Tokenizer tok = Tokenizer.load(init); CausalLm lm = ModelLoader.load(init)) {
                LabelingResult labelled = new LabelMasker(tok, recipe.seqLen(), true).maskAll(corpus, PromptFormat.chat(tok));
                if (!labelled.problems().isEmpty()) {
                    throw new IllegalStateException(labelled.problems().size() + " pre-training conversations could not"
                            + " be tokenized, e.g. " + labelled.problems().get(0));
                }
                List<TokenizedExample> examples = labelled.examples();
                long tokens = examples.stream().mapToLong(TokenizedExample::length).sum();
                long params = lm.parameters().stream().mapToLong(p -> p.numel()).sum();
                say.accept(String.format(Locale.ROOT, "model: %s, %,d parameters; %,d training tokens",
                        recipe.spec().name(), params, tokens));
                TrainConfig config = TrainConfig.defaults().withSteps(recipe.epochs(), 0)
                        .withLearningRate(recipe.learningRate(), LrSchedule.COSINE, 0, recipe.warmupRatio())
                        .withBatch(recipe.batch(), 1).withOptimizer(recipe.weightDecay(), 0.9, 0.95, 1e-8, 1.0)
                        .withOrder(recipe.seed(), true).withPacking(recipe.seqLen());
                Trainer trainer = Trainer.full(lm, config);
                int pad = Batcher.forTokenizer(tok, 1).padId();
                TrainResult result = trainer.train(examples, pad, listener(say));
                List<StepLog> steps = result.steps();
                double seconds = steps.stream().mapToDouble(StepLog::seconds).sum();
                long trained = steps.stream().mapToLong(StepLog::tokens).sum();
                if (result.stopped()) {
                    throw new IllegalStateException("the build was stopped at step " + steps.size()
                            + "; the old model (if any) is unchanged");
                }
                WeightsFolder.write(out, lm, init);
                r = new Result(dest, params, trained, steps.size(), steps.get(0).loss(),
                        steps.get(steps.size() - 1).loss(), (System.nanoTime() - start) / 1e9,
                        seconds > 0 ? trained / seconds : 0);
            }
            say.accept(String.format(Locale.ROOT, "built in %.0f s: %,d steps, %,d tokens at %.0f tokens/s; loss %.3f -> %.3f",
                    r.seconds(), r.steps(), r.tokens(), r.tokensPerSecond(), r.firstLoss(), r.finalLoss()));
            Files.writeString(out.resolve(LOG_FILE), String.join("\n", log) + "\n", StandardCharsets.UTF_8);
            Files.writeString(out.resolve("README.md"), BaseModelCard.text(recipe, r), StandardCharsets.UTF_8);
            replace(dest, out, work);
            return r;
        } finally {
            Folders.deleteTree(work);
        }
    }

    private TrainListener listener(Consumer<String> say) {
        return new TrainListener() {
            @Override
            public void onStart(TrainPlan plan) {
                say.accept(String.format(Locale.ROOT, "plan: %,d packed steps of %d rows x %d tokens, lr %.1e cosine,"
                        + " warmup %d", plan.totalSteps(), recipe.batch(), recipe.seqLen(), recipe.learningRate(),
                        plan.warmupSteps()));
            }

            @Override
            public void onStep(StepLog s) {
                long every = Math.max(1, s.totalSteps() / 40);
                if (s.step() % every == 0 || s.step() == s.totalSteps() || s.step() == 1) {
                    say.accept(String.format(Locale.ROOT, "step %d/%d  loss %.4f  lr %.2e  grad norm %.3f  %.0f tokens/s"
                            + "  ETA %.0f s", s.step(), s.totalSteps(), s.loss(), s.learningRate(), s.gradNorm(),
                            s.tokensPerSecond(), s.etaSeconds()));
                }
            }
        };
    }

    /** Moves the finished folder to {@code dest}: the old one aside first, then deleted. */
    private static void replace(Path dest, Path built, Path work) throws IOException {
        Path old = work.resolve("old");
        if (Files.exists(dest)) {
            Files.move(dest, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(built, dest, StandardCopyOption.ATOMIC_MOVE);
    }

}

package io.jtune.bench;

import static io.jtune.bench.BenchSupport.option;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.batch.Batcher;
import io.jtune.finetune.data.format.LabelMasker;
import io.jtune.finetune.data.format.LabelingResult;
import io.jtune.finetune.data.format.PromptFormat;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.data.samples.LegalAuditGenerator;
import io.jtune.finetune.data.samples.LegalAuditItem;
import io.jtune.finetune.data.samples.LegalAuditSplit;
import io.jtune.finetune.data.samples.LegalClauseType;
import io.jtune.finetune.data.samples.LegalPolicy;
import io.jtune.finetune.data.samples.LegalVerdict;
import io.jtune.finetune.lora.LoraConfig;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.lora.TargetModules;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.GenerationConfig;
import io.jtune.finetune.model.GenerationResult;
import io.jtune.finetune.model.Generator;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.quant.Quantization;
import io.jtune.finetune.tokenize.Tokenizer;
import io.jtune.finetune.train.LrSchedule;
import io.jtune.finetune.train.StepLog;
import io.jtune.finetune.train.TrainConfig;
import io.jtune.finetune.train.TrainListener;
import io.jtune.finetune.train.TrainResult;
import io.jtune.finetune.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The lift LoRA (or QLoRA) gives the built-in base model on the flagship task: verdict accuracy on
 * {@link LegalAuditGenerator}'s held-out examples (greedy, parsed with {@link LegalVerdict#parse})
 * before and after training on its training pairs, and the training time.
 *
 * <pre>java -Dai.djl.offline=true -cp "bench/target/classes:bench/target/lib/*" io.jtune.bench.LoraLift \
 *     [--model models/jtune-base-1m] [--method lora|qlora] [--train 3000] [--heldout 500] [--epochs 8]
 *     [--lr 6e-3] [--r 8] [--alpha 16] [--targets q_proj,v_proj] [--batch 16] [--threads 2] [--no-system] [--show 2]
 *     [--save DIR | --adapter DIR]</pre>
 * ({@code --show N} prints the first N held-out answers before and after; {@code --save} writes the
 * trained adapter as a PEFT folder, {@code --adapter} evaluates a saved one instead of training)
 */
public final class LoraLift {
    private LoraLift() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(option(args, "--model", "models/jtune-base-1m"));
        String method = option(args, "--method", "lora");
        int trainCount = Integer.parseInt(option(args, "--train", "3000"));
        int heldOutCount = Integer.parseInt(option(args, "--heldout", "500"));
        double epochs = Double.parseDouble(option(args, "--epochs", "8"));
        double lr = Double.parseDouble(option(args, "--lr", "6e-3"));
        int r = Integer.parseInt(option(args, "--r", "8"));
        double alpha = Double.parseDouble(option(args, "--alpha", "16"));
        String targets = option(args, "--targets", "q_proj,v_proj");
        int batch = Integer.parseInt(option(args, "--batch", "16"));
        int threads = Integer.parseInt(option(args, "--threads", "2"));
        boolean system = !Arrays.asList(args).contains("--no-system");
        int show = Integer.parseInt(option(args, "--show", "2"));
        String save = option(args, "--save", null);
        String saved = option(args, "--adapter", null);
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");

        LegalAuditSplit split = new LegalAuditGenerator(LegalPolicy.standard(), system)
                .split(trainCount, heldOutCount, 42);
        try (Tokenizer tok = Tokenizer.load(dir);
                CausalLm lm = ModelLoader.load(dir, method.equals("qlora") ? Quantization.NF4 : Quantization.NONE)) {
            LabelMasker masker = new LabelMasker(tok, lm.config().maxPositionEmbeddings());
            PromptFormat format = PromptFormat.chat(tok);
            List<TokenizedExample> train = tokenized(masker, format, split.train());
            List<TokenizedExample> heldOut = tokenized(masker, format, split.heldOut());
            int pad = Batcher.forTokenizer(tok, 1).padId();
            double meanLen = train.stream().mapToInt(TokenizedExample::length).average().orElse(0);
            System.out.printf(Locale.ROOT, "%s on %s: %d training pairs (%.0f tokens each on average), %d held out;"
                    + " system prompt %s%n", method, dir, train.size(), meanLen, heldOut.size(), system ? "on" : "off");

            Score before = evaluate(lm, tok, split.heldOut(), heldOut, pad, show);
            System.out.println("before: " + before);

            if (saved != null) {
                try (LoraModel lora = LoraModel.load(lm, Path.of(saved))) {
                    lora.training(false);
                    Score after = evaluate(lm, tok, split.heldOut(), heldOut, pad, show);
                    System.out.println("after:  " + after);
                    System.out.printf(Locale.ROOT, "RESULT %s (adapter %s) verdict accuracy %.1f%% -> %.1f%%%n", method,
                            saved, 100 * before.accuracy(), 100 * after.accuracy());
                }
                return;
            }
            LoraConfig config = LoraConfig.defaults().withRank(r, alpha).withDropout(0.05)
                    .withTargets(TargetModules.parse(targets));
            try (LoraModel lora = LoraModel.attach(lm, config, 42)) {
                TrainConfig tc = TrainConfig.defaults().withSteps(epochs, 0)
                        .withLearningRate(lr, LrSchedule.LINEAR, 0, 0.03).withBatch(batch, 1).withOrder(42, true);
                long t0 = System.nanoTime();
                TrainResult result = Trainer.lora(lora, tc).train(train, pad, new TrainListener() {
                    @Override
                    public void onStep(StepLog s) {
                        if (s.step() <= 3 || s.step() % Math.max(1, s.totalSteps() / 15) == 0 || s.step() == s.totalSteps()) {
                            System.out.printf(Locale.ROOT, "  step %d/%d loss %.4f %.0f tokens/s ETA %.0f s%n",
                                    s.step(), s.totalSteps(), s.loss(), s.tokensPerSecond(), s.etaSeconds());
                        }
                    }
                });
                double seconds = (System.nanoTime() - t0) / 1e9;
                long tokens = result.steps().stream().mapToLong(StepLog::tokens).sum();
                System.out.printf(Locale.ROOT, "trained %s r=%d alpha=%s on %s: %d steps, %.0f s (%.0f tokens/s),"
                        + " final loss %.4f%n", method, r, alpha, targets, result.steps().size(), seconds,
                        tokens / seconds, result.finalLoss());
                if (save != null) {
                    lora.save(Path.of(save));
                    System.out.println("adapter saved to " + save);
                }
                lora.training(false);
                Score after = evaluate(lm, tok, split.heldOut(), heldOut, pad, show);
                System.out.println("after:  " + after);
                System.out.printf(Locale.ROOT, "RESULT %s verdict accuracy %.1f%% -> %.1f%%, training %.0f s%n", method,
                        100 * before.accuracy(), 100 * after.accuracy(), seconds);
            }
        }
    }

    private static List<TokenizedExample> tokenized(LabelMasker masker, PromptFormat format, List<LegalAuditItem> items) {
        List<Example> examples = items.stream().map(LegalAuditItem::example).toList();
        LabelingResult r = masker.maskAll(examples, format);
        if (!r.problems().isEmpty() || r.examples().size() != items.size()) {
            throw new IllegalStateException(r.problems().size() + " examples could not be labelled, e.g. "
                    + r.problems().get(0));
        }
        return r.examples();
    }

    /** Accuracy and how often a verdict line could be read, over the held-out items, in all and by clause type. */
    record Score(int n, int parsed, int correct, double seconds, Map<LegalClauseType, int[]> byType) {
        double accuracy() {
            return n == 0 ? 0 : correct / (double) n;
        }

        @Override
        public String toString() {
            StringBuilder types = new StringBuilder();
            byType.forEach((t, c) -> types.append(String.format(Locale.ROOT, "%n    %-22s %3d/%-3d correct, %3d with a verdict",
                    t.label(), c[2], c[0], c[1])));
            return String.format(Locale.ROOT, "verdict accuracy %.1f%% (%d/%d), a verdict line in %d, %.0f s", 100 * accuracy(),
                    correct, n, parsed, seconds) + types;
        }
    }

    /** Greedy answers to the held-out prompts (the training prompt, up to the assistant's turn), in batches. */
    static Score evaluate(CausalLm lm, Tokenizer tok, List<LegalAuditItem> items, List<TokenizedExample> examples,
            int pad, int show) {
        long t0 = System.nanoTime();
        Generator gen = new Generator(lm, ids -> tok.decode(ids, true));
        GenerationConfig greedy = GenerationConfig.greedy(160, tok.eosIds());
        int parsed = 0;
        int correct = 0;
        Map<LegalClauseType, int[]> byType = new EnumMap<>(LegalClauseType.class);
        int chunk = 25;
        for (int from = 0; from < items.size(); from += chunk) {
            List<int[]> prompts = new ArrayList<>();
            for (TokenizedExample e : examples.subList(from, Math.min(items.size(), from + chunk))) {
                prompts.add(promptOf(e));
            }
            List<GenerationResult> out = gen.generate(prompts, greedy, pad, null);
            for (int i = 0; i < out.size(); i++) {
                Optional<LegalVerdict> v = LegalVerdict.parse(out.get(i).text());
                LegalAuditItem item = items.get(from + i);
                int[] counts = byType.computeIfAbsent(item.clauseType(), t -> new int[3]);
                counts[0]++;
                boolean right = v.isPresent() && v.get().compliant() == item.compliant();
                counts[1] += v.isPresent() ? 1 : 0;
                counts[2] += right ? 1 : 0;
                if (from + i < show) {
                    System.out.println("  --- held-out " + (from + i + 1) + " (expected "
                            + (items.get(from + i).compliant() ? "COMPLIANT" : "NON-COMPLIANT") + "):\n"
                            + out.get(i).text().indent(4).stripTrailing());
                }
                if (v.isPresent()) {
                    parsed++;
                    if (v.get().compliant() == items.get(from + i).compliant()) {
                        correct++;
                    }
                }
            }
        }
        return new Score(items.size(), parsed, correct, (System.nanoTime() - t0) / 1e9, byType);
    }

    /** The tokens before the first trained one: the prompt as training formatted it. */
    static int[] promptOf(TokenizedExample e) {
        int[] labels = e.labels();
        int n = 0;
        while (n < labels.length && labels[n] == LabelMasker.IGNORE) {
            n++;
        }
        return Arrays.copyOf(e.inputIds(), n);
    }
}

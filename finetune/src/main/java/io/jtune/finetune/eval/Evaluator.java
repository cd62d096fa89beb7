package io.jtune.finetune.eval;

import ai.djl.ndarray.NDManager;
import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.batch.Batch;
import io.jtune.finetune.data.batch.Batcher;
import io.jtune.finetune.data.format.LabelMasker;
import io.jtune.finetune.data.format.LabelingResult;
import io.jtune.finetune.data.format.PromptFormat;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.GenerationConfig;
import io.jtune.finetune.model.GenerationResult;
import io.jtune.finetune.model.Generator;
import io.jtune.finetune.model.GradMode;
import io.jtune.finetune.tokenize.Tokenizer;
import io.jtune.finetune.train.TokenLoss;
import io.jtune.finetune.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;

/**
 * Runs a model over evaluation cases: each case's prompt formatted as training formats it (the
 * conversation up to its last assistant turn), answers generated in batches with the KV cache,
 * greedy unless told otherwise, the reference answer's loss from one forward pass, and the
 * metrics scored per case.
 *
 * <p>A thread interrupt (the notebook's stop button) ends the run between batches with a
 * {@link CancellationException} naming how far it got; the model is untouched.
 */
public final class Evaluator {
    private final CausalLm model;
    private final Tokenizer tokenizer;
    private final PromptFormat format;

    /** @param format the prompt format the model was trained with */
    public Evaluator(CausalLm model, Tokenizer tokenizer, PromptFormat format) {
        this.model = Objects.requireNonNull(model, "model");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.format = Objects.requireNonNull(format, "format");
    }

    /** Evaluates with the model's own chat template. */
    public static Evaluator chat(CausalLm model, Tokenizer tokenizer) {
        return new Evaluator(model, tokenizer, PromptFormat.chat(tokenizer));
    }

    public EvalResult run(String label, List<EvalCase> cases, EvalConfig config, EvalListener listener) {
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("no cases to evaluate");
        }
        List<TokenizedExample> tokenized = tokenize(cases, config);
        int n = cases.size();
        Prediction[] predictions = new Prediction[n];
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> promptLength(tokenized.get(i))));
        int pad = Batcher.forTokenizer(tokenizer, 1).padId();
        Generator generator = new Generator(model, ids -> tokenizer.decode(ids, true));
        GenerationConfig gen = config.temperature() == 0
                ? GenerationConfig.greedy(config.maxNewTokens(), tokenizer.eosIds())
                : GenerationConfig.sampling(config.maxNewTokens(), config.temperature(), 1.0, config.seed(),
                        tokenizer.eosIds());
        long start = System.nanoTime();
        int done = 0;
        for (int from = 0; from < n; from += config.batchSize()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("evaluation of " + label + " stopped after " + done + " of " + n + " cases");
            }
            List<Integer> idx = Arrays.asList(order).subList(from, Math.min(n, from + config.batchSize()));
            List<int[]> prompts = idx.stream().map(i -> prompt(tokenized.get(i))).toList();
            long t0 = System.nanoTime();
            List<GenerationResult> out = generator.generate(prompts, gen, pad, null);
            double ms = (System.nanoTime() - t0) / 1e6 / idx.size();
            TokenLoss.Rows losses = config.referenceLoss() ? referenceLosses(idx.stream().map(tokenized::get).toList(), pad)
                    : null;
            for (int k = 0; k < idx.size(); k++) {
                GenerationResult g = out.get(k);
                predictions[idx.get(k)] = new Prediction(g.text(), g.tokens().length, ms,
                        losses == null ? Double.NaN : losses.mean(k), losses == null ? 0 : losses.counts()[k]);
            }
            done += idx.size();
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = done / Math.max(seconds, 1e-9);
            listener.onProgress(label, done, n, rate, (n - done) / rate);
        }
        return EvalResult.score(label, cases, Arrays.asList(predictions), config.metrics(),
                (System.nanoTime() - start) / 1e9);
    }

    /** The same cases with the adapter off (the base model), then on: one model in memory, not two. */
    public Comparison compareAdapter(LoraModel adapter, List<EvalCase> cases, EvalConfig config, EvalListener listener) {
        List<EvalResult> r = offThenOn(adapter, label -> run(label, cases, config, listener));
        return Comparison.of(r.get(0), r.get(1), config.seed());
    }

    /**
     * The loss over every token of {@code texts} (conversations formatted as in training, prompts
     * included, as pre-training counts them); texts longer than the model's positions are cut there.
     */
    public LossReport loss(String label, List<Example> texts, int batchSize) {
        int maxLen = model.config().maxPositionEmbeddings();
        LabelingResult r = new LabelMasker(tokenizer, maxLen, true).maskAll(texts, format);
        if (r.examples().isEmpty()) {
            throw new IllegalArgumentException("none of the " + texts.size() + " texts could be tokenized"
                    + (r.problems().isEmpty() ? "" : ", e.g. " + r.problems().get(0)));
        }
        int pad = Batcher.forTokenizer(tokenizer, 1).padId();
        double sum = 0;
        long count = 0;
        List<TokenizedExample> examples = new ArrayList<>();
        for (int i = 0; i < r.examples().size(); i++) {
            examples.add(sourced(r.examples().get(i), label, i));
        }
        for (Batch b : new Batcher(batchSize, pad).inOrder(examples)) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("the loss of " + label + " was stopped after " + count + " tokens");
            }
            try (GradMode off = GradMode.off(); NDManager scope = model.manager().newSubManager()) {
                TokenLoss.Sum s = TokenLoss.of(scope, model.logits(scope, Trainer.input(b), null), b.labels());
                sum += s.sum().getFloat();
                count += s.count();
            }
        }
        return new LossReport(label, sum / count, count);
    }

    /** {@link #loss} on general text with the adapter off, then on. */
    public ForgettingCheck forgetting(LoraModel adapter, List<Example> general, int batchSize) {
        List<LossReport> r = offThenOn(adapter, label -> loss(label, general, batchSize));
        return new ForgettingCheck(r.get(0), r.get(1));
    }

    /**
     * {@code work} with the adapter off ("adapter off"), then on ("adapter on"), dropout off; the
     * adapter is left switched as it was.
     */
    private <T> List<T> offThenOn(LoraModel adapter, java.util.function.Function<String, T> work) {
        if (adapter.model() != model) {
            throw new IllegalArgumentException("the adapter is attached to another model than this evaluator's");
        }
        boolean was = adapter.enabled();
        adapter.training(false);
        try {
            adapter.setEnabled(false);
            T off = work.apply("adapter off");
            adapter.setEnabled(true);
            return List.of(off, work.apply("adapter on"));
        } finally {
            adapter.setEnabled(was);
        }
    }

    private List<TokenizedExample> tokenize(List<EvalCase> cases, EvalConfig config) {
        List<Example> examples = cases.stream().map(EvalCase::example).toList();
        int maxLen = model.config().maxPositionEmbeddings();
        LabelingResult r = new LabelMasker(tokenizer, maxLen).maskAll(examples, format);
        if (!r.problems().isEmpty()) {
            throw new IllegalArgumentException(r.problems().size() + " of " + cases.size() + " cases cannot be"
                    + " formatted within the model's " + maxLen + " positions, e.g. " + r.problems().get(0));
        }
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < r.examples().size(); i++) {
            out.add(sourced(r.examples().get(i), cases.get(i).id(), i));
        }
        for (int i = 0; i < out.size(); i++) {
            int p = promptLength(out.get(i));
            if (p + config.maxNewTokens() > maxLen) {
                throw new IllegalArgumentException("case " + cases.get(i).id() + ": its prompt has " + p + " tokens, and "
                        + config.maxNewTokens() + " new tokens would pass the model's " + maxLen + " positions;"
                        + " lower max_new_tokens to " + (maxLen - p) + " or shorten the prompt");
            }
        }
        return out;
    }

    /** Examples built in Java may have no source; batches need one to name in their messages. */
    private static TokenizedExample sourced(TokenizedExample e, String name, int index) {
        return e.source() != null ? e : new TokenizedExample(e.inputIds(), e.labels(), new SourceRef(name, index + 1));
    }

    /** Where the last response segment starts: everything before it is the prompt. */
    static int promptLength(TokenizedExample e) {
        int[] labels = e.labels();
        int end = labels.length - 1;
        while (end >= 0 && labels[end] == LabelMasker.IGNORE) {
            end--;
        }
        int start = end;
        while (start > 0 && labels[start - 1] != LabelMasker.IGNORE) {
            start--;
        }
        return Math.max(start, 1);
    }

    static int[] prompt(TokenizedExample e) {
        return Arrays.copyOf(e.inputIds(), promptLength(e));
    }

    /** The loss of each example's last response only (earlier assistant turns are context here). */
    private TokenLoss.Rows referenceLosses(List<TokenizedExample> examples, int pad) {
        List<TokenizedExample> last = new ArrayList<>();
        for (TokenizedExample e : examples) {
            int[] labels = e.labels().clone();
            Arrays.fill(labels, 0, promptLength(e), LabelMasker.IGNORE);
            last.add(new TokenizedExample(e.inputIds(), labels, e.source()));
        }
        Batch b = new Batcher(last.size(), pad).inOrder(last).get(0);
        try (GradMode off = GradMode.off(); NDManager scope = model.manager().newSubManager()) {
            return TokenLoss.perRow(scope, model.logits(scope, Trainer.input(b), null), b.labels());
        }
    }
}

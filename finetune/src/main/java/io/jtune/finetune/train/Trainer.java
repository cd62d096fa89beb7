package io.jtune.finetune.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.jtune.finetune.data.batch.Batch;
import io.jtune.finetune.data.batch.Batcher;
import io.jtune.finetune.data.batch.PackedSequence;
import io.jtune.finetune.data.batch.Packer;
import io.jtune.finetune.data.format.LabelMasker;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ForwardInput;
import io.jtune.finetune.model.GradMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The training loop: micro-batches of {@link TrainConfig#microBatch()} examples, gradients
 * accumulated over {@link TrainConfig#accumulation()} of them, global-norm clipping, AdamW and a
 * warmup schedule, as transformers' Trainer does it; evaluation, early stopping, checkpoints and
 * resume as {@link RunControl} says.
 *
 * <p>The loss of a step is the sum of the token cross-entropies over the target tokens of all its
 * micro-batches divided by their total count (not a mean of per-micro-batch means), so that
 * accumulating k micro-batches of n examples gives the update of one batch of k·n. Each
 * micro-batch backpropagates its own sum divided by the step's total, so only one micro-batch's
 * activations are alive at a time.
 *
 * <p>Everything random is drawn from the seed and the position in the run: epoch e takes the
 * examples in the order {@code Collections.shuffle(.., new Random(seed·1000003 + e))} gives, and
 * step s runs with the engine's generator (dropout) seeded from {@code seed·1000003 + s}. So a run
 * resumed from checkpoint-N takes at step N+1 exactly the step the uninterrupted run took.
 *
 * <p>A stop request (the training thread interrupted, as the kernel's interrupt does) ends the run
 * after the step in progress, with the weights as that step left them and a checkpoint when the
 * run has a folder. A loss or gradient that is not finite stops the run with a
 * {@link TrainingException} naming the step, before the optimizer applies it.
 */
public final class Trainer {
    private static final long SEED_STRIDE = 1_000_003L;

    private final TrainTarget target;
    private final CausalLm model;
    private final Map<String, NDArray> params;
    private final TrainConfig config;
    private final RunControl control;

    public Trainer(TrainTarget target, TrainConfig config, RunControl control) {
        this.target = target;
        this.model = target.model();
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(target.parameters()));
        if (params.isEmpty()) {
            throw new IllegalArgumentException("nothing to train: no trainable parameters");
        }
        this.config = config;
        this.control = control;
    }

    /** Trains a LoRA model's adapters (and its modules_to_save copies), without run files. */
    public static Trainer lora(LoraModel lora, TrainConfig config) {
        return new Trainer(TrainTarget.lora(lora), config, RunControl.none());
    }

    /** Trains every parameter of {@code model} marked trainable, without run files. */
    public static Trainer full(CausalLm model, TrainConfig config) {
        return new Trainer(TrainTarget.full(model), config, RunControl.none());
    }

    /** The plan for these examples, without training. */
    public TrainPlan plan(List<TokenizedExample> examples) {
        checkTargets(examples);
        int rows = config.packLength() > 0 ? new Packer(config.packLength()).pack(examples).size() : examples.size();
        int micro = (rows + config.microBatch() - 1) / config.microBatch();
        long perEpoch = (micro + config.accumulation() - 1) / config.accumulation();
        long total = config.maxSteps() > 0 ? config.maxSteps() : (long) Math.ceil(config.epochs() * perEpoch);
        long targets = 0;
        for (TokenizedExample e : examples) {
            targets += e.trainedTokens();
        }
        long values = 0;
        for (NDArray p : params.values()) {
            values += p.size();
        }
        long tokens = 0;
        int longest = 0;
        for (TokenizedExample e : examples) {
            tokens += e.length();
            longest = Math.max(longest, e.length());
        }
        if (config.packLength() > 0) {
            longest = Math.min(config.packLength(), (int) Math.min(Integer.MAX_VALUE, tokens));
        }
        MemoryEstimate memory = MemoryEstimate.of(model.config(), model.weightBytes(), values,
                Math.min(config.microBatch(), examples.size()), longest, config.optimizer8bit());
        return new TrainPlan(examples.size(), targets, micro, perEpoch, total, config.warmupFor(total),
                config.effectiveBatch(), values, tokens, longest, memory);
    }

    /**
     * Times forward and backward passes on the first micro-batch (one to warm up, then {@code
     * passes}), leaving the weights and gradients as they were: tokens per second to estimate the
     * run's time with {@link TrainPlan#secondsAt}.
     */
    public double calibrate(List<TokenizedExample> examples, int padId, int passes) {
        checkTargets(examples);
        Batch first = batches(examples, padId).get(0);
        int tokens = first.size() * first.length() - first.paddingTokens();
        for (NDArray p : params.values()) {
            p.setRequiresGradient(true);
        }
        long t0 = 0;
        for (int i = 0; i <= passes; i++) {
            if (i == 1) {
                t0 = System.nanoTime();
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector();
                    NDManager scope = model.manager().newSubManager()) {
                TokenLoss.Sum sum = TokenLoss.of(scope, model.logits(scope, input(first), null), labels(first));
                gc.backward(sum.sum());
            }
            for (NDArray p : params.values()) {
                zeroGrad(p);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return passes > 0 && seconds > 0 ? passes * (double) tokens / seconds : Double.NaN;
    }

    /** {@link #train(List, List, int, TrainListener, Path)} without validation examples or resume. */
    public TrainResult train(List<TokenizedExample> examples, int padId, TrainListener listener) {
        return train(examples, List.of(), padId, listener, null);
    }

    /**
     * Runs the plan, or its rest after {@code resumeFrom}.
     *
     * @param validation held-out examples for evaluation and early stopping; may be empty
     * @param padId the id padding positions hold (their labels are ignored and their keys masked)
     * @param resumeFrom a checkpoint folder of an earlier run of the same config and data, or null
     * @throws TrainingException when the loss or gradient stops being finite
     * @throws UncheckedIOException when the run folder cannot be written or the checkpoint read
     */
    public TrainResult train(List<TokenizedExample> examples, List<TokenizedExample> validation, int padId,
            TrainListener listener, Path resumeFrom) {
        TrainPlan plan = plan(examples);
        long start = System.nanoTime();
        Run run = new Run(plan, validation, padId, listener);
        run.trainExamples = examples;
        for (NDArray p : params.values()) {
            p.setRequiresGradient(true);
            zeroGrad(p);
        }
        java.util.Set<String> noDecay = new java.util.HashSet<>();
        for (String name : params.keySet()) {
            if (AdamW.decayExempt(name)) {
                noDecay.add(name);
            }
        }
        try (Optimizer optimizer = config.optimizer8bit()
                ? new AdamW8bit(params, config.beta1(), config.beta2(), config.eps(), config.weightDecay(), noDecay)
                : new AdamW(params, config.beta1(), config.beta2(), config.eps(), config.weightDecay(), noDecay,
                        model.manager())) {
            run.optimizer = optimizer;
            if (resumeFrom != null) {
                run.resume(resumeFrom);
            }
            listener.onStart(plan);
            target.training(true);
            try {
                run.loop();
            } finally {
                target.training(false);
                model.setNeftuneAlpha(0);
                for (NDArray p : params.values()) {
                    zeroGrad(p);
                }
            }
            run.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } finally {
            run.closeFiles();
        }
        TrainResult result = new TrainResult(run.logs, run.evals, run.stopped, run.earlyStopped, run.best,
                run.restoredBest, run.lastCheckpoint, (System.nanoTime() - start) / 1e9);
        listener.onEnd(result);
        return result;
    }

    /** Mean token cross-entropy over {@code examples}' targets, without gradients. */
    public EvalLog evaluate(List<TokenizedExample> examples, int padId, long step) {
        double sum = 0;
        long count = 0;
        try (GradMode off = GradMode.off()) {
            for (Batch b : batches(examples, padId)) {
                try (NDManager scope = model.manager().newSubManager()) {
                    TokenLoss.Sum s = TokenLoss.of(scope, model.logits(scope, input(b), null), labels(b));
                    sum += s.sum().getFloat();
                    count += s.count();
                }
            }
        }
        return new EvalLog(step, count == 0 ? Double.NaN : sum / count, count, false);
    }

    /** The state of one run as it goes. */
    private final class Run {
        final TrainPlan plan;
        final List<TokenizedExample> validation;
        final int padId;
        final TrainListener listener;
        final RunFiles files;
        final List<StepLog> logs = new ArrayList<>();
        final List<EvalLog> evals = new ArrayList<>();
        final List<Map<String, Object>> history = new ArrayList<>();
        Optimizer optimizer;
        long step;
        boolean stopped;
        boolean earlyStopped;
        boolean restoredBest;
        EvalLog best;
        String bestCheckpoint;
        Map<String, float[]> bestWeights;
        int sinceBest;
        Path lastCheckpoint;
        List<TokenizedExample> trainExamples;
        double stepSeconds;

        Run(TrainPlan plan, List<TokenizedExample> validation, int padId, TrainListener listener) {
            this.plan = plan;
            this.validation = validation;
            this.padId = padId;
            this.listener = listener;
            try {
                this.files = control.out() == null ? null : new RunFiles(control.out());
                if (files != null && control.tensorBoard()) {
                    files.reportToTensorBoard();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(control.out() + ": cannot create the run folder: " + e.getMessage(), e);
            }
        }

        void closeFiles() {
            if (files != null) {
                try {
                    files.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e.getMessage(), e);
                }
            }
        }

        void resume(Path checkpoint) throws IOException {
            RunFiles.State s = RunFiles.readState(checkpoint);
            if (s.maxSteps() != plan.totalSteps()) {
                throw new IOException(checkpoint + ": the checkpoint's run plans " + s.maxSteps()
                        + " steps but this one " + plan.totalSteps() + "; resume with the same config and data");
            }
            try (GradMode off = GradMode.off()) {
                target.restore(checkpoint);
                RunFiles.restoreOptimizer(checkpoint, optimizer);
            }
            step = s.globalStep();
            history.addAll(s.logHistory());
            sinceBest = s.patienceCounter();
            bestCheckpoint = s.bestCheckpoint();
            if (Double.isFinite(s.bestMetric())) {
                best = new EvalLog(-1, s.bestMetric(), 0, true);
            }
            if (bestCheckpoint != null && control.restoreBest()) {
                Path dir = Path.of(bestCheckpoint);
                if (java.nio.file.Files.isDirectory(dir)) {
                    bestWeights = readWeights(dir);
                }
            }
        }

        private Map<String, float[]> readWeights(Path dir) throws IOException {
            Map<String, float[]> now = snapshot();
            try (GradMode off = GradMode.off()) {
                target.restore(dir);
                Map<String, float[]> saved = snapshot();
                put(now);
                return saved;
            }
        }

        void loop() throws IOException {
            List<Batch> micro = null;
            long epochOfBatches = -1;
            while (step < plan.totalSteps()) {
                long epoch = step / plan.stepsPerEpoch();
                if (epoch != epochOfBatches) {
                    micro = epochBatches(trainExamples(), epoch, padId);
                    epochOfBatches = epoch;
                }
                int first = (int) (step % plan.stepsPerEpoch()) * config.accumulation();
                List<Batch> group = micro.subList(first, Math.min(micro.size(), first + config.accumulation()));
                double lr = config.learningRate() * config.schedule().factor(step, plan.warmupSteps(), plan.totalSteps());
                double epochAt = epoch + (double) Math.min(micro.size(), first + group.size()) / micro.size();
                Engine.getInstance().setRandomSeed((int) (config.seed() * SEED_STRIDE + step + 1));
                StepLog raw = step(group, optimizer, lr, step + 1, plan.totalSteps(), epochAt);
                stepSeconds += raw.seconds();
                StepLog log = new StepLog(raw.step(), raw.totalSteps(), raw.epoch(), raw.loss(), raw.gradNorm(),
                        raw.learningRate(), raw.targetTokens(), raw.tokens(), raw.seconds(),
                        stepSeconds / (logs.size() + 1) * (plan.totalSteps() - raw.step()), raw.residentBytes());
                step++;
                logs.add(log);
                record(log);
                listener.onStep(log);
                boolean last = step == plan.totalSteps();
                if (control.evalEvery() > 0 && step % control.evalEvery() == 0 && !last) {
                    if (evaluateNow() && control.patience() > 0 && sinceBest >= control.patience()) {
                        earlyStopped = true;
                        listener.onEarlyStop(step, best);
                        saveCheckpoint();
                        return;
                    }
                }
                if (control.saveEvery() > 0 && step % control.saveEvery() == 0 && !last) {
                    saveCheckpoint();
                }
                if (Thread.currentThread().isInterrupted()) {
                    stopped = !last;
                    break;
                }
            }
        }

        List<TokenizedExample> trainExamples() {
            return trainExamples;
        }

        /** Evaluates; returns true when there was something to evaluate. */
        boolean evaluateNow() throws IOException {
            if (validation.isEmpty()) {
                return false;
            }
            target.training(false); // no dropout while evaluating
            EvalLog e;
            try {
                e = evaluate(validation, padId, step);
            } finally {
                target.training(!stopped && !earlyStopped && step < plan.totalSteps());
            }
            boolean improved = best == null || e.loss() < best.loss() - control.minDelta();
            e = new EvalLog(e.step(), e.loss(), e.targetTokens(), improved);
            evals.add(e);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("step", step);
            r.put("epoch", logs.isEmpty() ? 0 : logs.get(logs.size() - 1).epoch());
            r.put("eval_loss", e.loss());
            r.put("eval_perplexity", e.perplexity());
            r.put("eval_target_tokens", e.targetTokens());
            history.add(r);
            if (files != null) {
                files.log(r);
            }
            if (improved) {
                best = e;
                sinceBest = 0;
                if (control.restoreBest()) {
                    bestWeights = snapshot();
                }
                if (files != null && control.saveEvery() > 0) {
                    bestCheckpoint = files.folder().resolve("checkpoint-" + step).toString();
                }
            } else {
                sinceBest++;
            }
            listener.onEval(e);
            return true;
        }

        void finish() throws IOException {
            if (!stopped && !earlyStopped) {
                evaluateNow();
            }
            if (control.restoreBest() && bestWeights != null && best != null) {
                try (GradMode off = GradMode.off()) {
                    put(bestWeights);
                }
                restoredBest = true;
            }
            if (files != null) {
                if (stopped || earlyStopped) {
                    if (lastCheckpoint == null || RunFiles.stepOf(lastCheckpoint) != step) {
                        saveCheckpoint();
                    }
                } else {
                    saveCheckpoint();
                }
            }
        }

        void saveCheckpoint() throws IOException {
            if (files == null) {
                return;
            }
            RunFiles.State s = new RunFiles.State(step, logs.isEmpty() ? 0 : logs.get(logs.size() - 1).epoch(),
                    plan.totalSteps(), best == null ? Double.NaN : best.loss(), bestCheckpoint, sinceBest, history);
            lastCheckpoint = files.checkpoint(target, optimizer, s, config, plan.warmupSteps(), control.keepLast());
            listener.onCheckpoint(step, lastCheckpoint);
        }

        void record(StepLog log) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("step", log.step());
            r.put("epoch", log.epoch());
            r.put("loss", log.loss());
            r.put("learning_rate", log.learningRate());
            r.put("grad_norm", log.gradNorm());
            r.put("target_tokens", log.targetTokens());
            r.put("tokens_per_second", log.tokensPerSecond());
            if (log.residentBytes() > 0) {
                r.put("resident_mb", log.residentBytes() / 1e6);
            }
            history.add(r);
            if (files != null) {
                files.log(r);
            }
        }

        private Map<String, float[]> snapshot() {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                out.put(e.getKey(), e.getValue().toFloatArray());
            }
            return out;
        }

        private void put(Map<String, float[]> weights) {
            for (Map.Entry<String, float[]> e : weights.entrySet()) {
                params.get(e.getKey()).set(FloatBuffer.wrap(e.getValue()));
            }
        }
    }

    private StepLog step(List<Batch> group, Optimizer optimizer, double lr, long step, long totalSteps, double epoch) {
        long t0 = System.nanoTime();
        int total = 0;
        int tokens = 0;
        for (Batch b : group) {
            total += targets(b);
            tokens += b.size() * b.length() - b.paddingTokens();
        }
        double lossSum = 0;
        model.setNeftuneAlpha(config.neftuneAlpha());
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            for (Batch b : group) {
                try (NDManager scope = model.manager().newSubManager()) {
                    int[][] labels = labels(b);
                    if (targets(labels) == 0) {
                        continue; // nothing to learn from this micro-batch; its share of the loss is 0
                    }
                    NDArray share = scope.create((float) total);
                    if (config.gradientCheckpointing()) {
                        float[] summed = new float[1];
                        model.backwardCheckpointed(scope, input(b), logits -> {
                            NDArray s = TokenLoss.of(scope, logits, labels).sum();
                            summed[0] = s.getFloat();
                            return s.div(share);
                        });
                        lossSum += summed[0];
                    } else {
                        TokenLoss.Sum sum = TokenLoss.of(scope, model.logits(scope, input(b), null), labels);
                        gc.backward(sum.sum().div(share));
                        lossSum += sum.sum().getFloat();
                    }
                }
            }
        } finally {
            model.setNeftuneAlpha(0); // evaluation and generation never see the noise
        }
        double loss = total == 0 ? Double.NaN : lossSum / total;
        if (!Double.isFinite(loss)) {
            throw new TrainingException("step " + step + ": the loss is " + loss + " (" + total + " target tokens)."
                    + " Likely causes: a learning rate too high for this model, an overflow, or batches without"
                    + " target tokens; the weights are as step " + (step - 1) + " left them", step);
        }
        double norm = GradClip.clip(params.values(), config.maxGradNorm());
        if (!Double.isFinite(norm)) {
            throw new TrainingException("step " + step + ": the gradient norm is " + norm + "; the update was not"
                    + " applied (lower the learning rate, or check the data for extreme values)", step);
        }
        try (GradMode off = GradMode.off()) {
            optimizer.step(lr);
        }
        for (NDArray p : params.values()) {
            zeroGrad(p);
        }
        return new StepLog(step, totalSteps, epoch, loss, norm, lr, total, tokens, (System.nanoTime() - t0) / 1e9,
                Double.NaN, MemoryEstimate.residentNow());
    }

    /** Micro-batches of the examples in this order, packed when the config says so. */
    private List<Batch> batches(List<TokenizedExample> examples, int padId) {
        Batcher batcher = new Batcher(config.microBatch(), padId);
        return config.packLength() > 0 ? batcher.packed(new Packer(config.packLength()).pack(examples))
                : batcher.inOrder(examples);
    }

    /**
     * The micro-batches of one epoch. Unpacked: the examples in the epoch's order. Packed: the
     * packer places examples longest first, so its rows run from long examples to short ones; the
     * rows are shuffled with the epoch's seed as well, or the end of every epoch would train on the
     * shortest examples only.
     */
    List<Batch> epochBatches(List<TokenizedExample> examples, long epoch, int padId) {
        List<TokenizedExample> order = epochOrder(examples, epoch);
        if (config.packLength() <= 0) {
            return batches(order, padId);
        }
        List<PackedSequence> rows = new ArrayList<>(new Packer(config.packLength()).pack(order));
        if (config.shuffle()) {
            Collections.shuffle(rows, new Random(config.seed() * SEED_STRIDE + epoch));
        }
        return new Batcher(config.microBatch(), padId).packed(rows);
    }

    private List<TokenizedExample> epochOrder(List<TokenizedExample> examples, long epoch) {
        if (!config.shuffle()) {
            return examples;
        }
        List<TokenizedExample> order = new ArrayList<>(examples);
        Collections.shuffle(order, new Random(config.seed() * SEED_STRIDE + epoch));
        return order;
    }

    /** The model's input for a batch: ids, positions, the padding mask and, when packed, the segments. */
    public static ForwardInput input(Batch b) {
        int[][] ids = b.inputIds();
        int[][] pos = b.positionIds();
        long[][] lids = new long[ids.length][];
        long[][] lpos = new long[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            lids[i] = Arrays.stream(ids[i]).asLongStream().toArray();
            lpos[i] = Arrays.stream(pos[i]).asLongStream().toArray();
        }
        return new ForwardInput(lids, lpos, b.attentionMask(), packed(b) ? segments(b) : null);
    }

    /** Whether some row holds more than one example. */
    static boolean packed(Batch b) {
        for (int[] bounds : b.boundaries()) {
            if (bounds.length > 2) {
                return true;
            }
        }
        return false;
    }

    /** Per position, the index of its example in the row; padding gets -1. */
    private static int[][] segments(Batch b) {
        int[][] out = new int[b.size()][b.length()];
        for (int r = 0; r < out.length; r++) {
            java.util.Arrays.fill(out[r], -1);
            int[] bounds = b.boundaries()[r];
            for (int k = 0; k + 1 < bounds.length; k++) {
                java.util.Arrays.fill(out[r], bounds[k], bounds[k + 1], k);
            }
        }
        return out;
    }

    /**
     * The labels the loss is taken on: in a packed row the first token of each example is not a
     * target (it would be predicted from the end of the example before it), as transformers'
     * DataCollatorWithFlattening marks it.
     */
    static int[][] labels(Batch b) {
        int[][] labels = b.labels();
        if (!packed(b)) {
            return labels;
        }
        int[][] out = new int[labels.length][];
        for (int r = 0; r < labels.length; r++) {
            out[r] = labels[r].clone();
            int[] bounds = b.boundaries()[r];
            for (int k = 0; k + 1 < bounds.length; k++) {
                out[r][bounds[k]] = LabelMasker.IGNORE;
            }
        }
        return out;
    }

    private static int targets(Batch b) {
        return targets(labels(b));
    }

    private static int targets(int[][] labels) {
        int n = 0;
        for (int[] row : labels) {
            for (int j = 1; j < row.length; j++) {
                if (row[j] != LabelMasker.IGNORE) {
                    n++;
                }
            }
        }
        return n;
    }

    private static void checkTargets(List<TokenizedExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        List<String> empty = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            TokenizedExample e = examples.get(i);
            boolean any = false;
            int[] labels = e.labels();
            for (int j = 1; j < labels.length; j++) {
                any |= labels[j] != LabelMasker.IGNORE;
            }
            if (!any) {
                empty.add(e.source() == null ? "#" + (i + 1) : e.source().toString());
            }
        }
        if (empty.size() == examples.size()) {
            throw new IllegalArgumentException("no example has a token to train on (every label is -100): check the"
                    + " prompt format and label masking; examples " + String.join(", ", empty.stream().limit(5).toList()));
        }
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException(empty.size() + " of " + examples.size() + " examples have no token to"
                    + " train on (every label after the first is -100, e.g. a response truncated away): "
                    + String.join(", ", empty.stream().limit(5).toList())
                    + (empty.size() > 5 ? " and " + (empty.size() - 5) + " more" : "") + "; drop them or raise max_len");
        }
    }

    private static void zeroGrad(NDArray p) {
        if (p instanceof PtNDArray pt && JniUtils.requiresGrad(pt)) {
            JniUtils.zeroGrad(pt);
        }
    }
}

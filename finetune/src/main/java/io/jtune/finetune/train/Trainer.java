package io.jtune.finetune.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.jtune.finetune.data.batch.Batch;
import io.jtune.finetune.data.batch.Batcher;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ForwardInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The training loop: micro-batches of {@link TrainConfig#microBatch()} examples, gradients
 * accumulated over {@link TrainConfig#accumulation()} of them, global-norm clipping, AdamW and a
 * warmup schedule, as transformers' Trainer does it.
 *
 * <p>The loss of a step is the sum of the token cross-entropies over the target tokens of all its
 * micro-batches divided by their total count (not a mean of per-micro-batch means), so that
 * accumulating k micro-batches of n examples gives the update of one batch of k·n. Each
 * micro-batch backpropagates its own sum divided by the step's total, so only one micro-batch's
 * activations are alive at a time.
 *
 * <p>A stop request (the training thread interrupted, as the kernel's interrupt does) ends the run
 * after the step in progress, with the weights as that step left them. A loss that is not finite
 * stops the run with a {@link TrainingException} naming the step, before the optimizer applies it.
 */
public final class Trainer {
    private final CausalLm model;
    private final Map<String, NDArray> params;
    private final TrainConfig config;
    private final Consumer<Boolean> trainingMode;

    /**
     * @param params what the optimizer updates, by name; they get gradients attached here
     * @param trainingMode called with true before the first step and false after the last (dropout on/off)
     */
    public Trainer(CausalLm model, Map<String, NDArray> params, TrainConfig config, Consumer<Boolean> trainingMode) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("nothing to train: no trainable parameters");
        }
        this.model = model;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.config = config;
        this.trainingMode = trainingMode;
    }

    /** Trains a LoRA model's adapters (and its modules_to_save copies), with LoRA dropout on during the run. */
    public static Trainer lora(LoraModel lora, TrainConfig config) {
        return new Trainer(lora.model(), lora.trainable(), config, lora::training);
    }

    /** The plan for these examples, without training. */
    public TrainPlan plan(List<TokenizedExample> examples) {
        checkTargets(examples);
        int micro = (examples.size() + config.microBatch() - 1) / config.microBatch();
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
        return new TrainPlan(examples.size(), targets, micro, perEpoch, total, config.warmupFor(total),
                config.effectiveBatch(), values);
    }

    /**
     * Runs the whole plan.
     *
     * @param padId the id padding positions hold (their labels are ignored and their keys masked)
     * @throws TrainingException when the loss stops being finite
     */
    public TrainResult train(List<TokenizedExample> examples, int padId, TrainListener listener) {
        TrainPlan plan = plan(examples);
        long start = System.nanoTime();
        List<StepLog> logs = new ArrayList<>();
        boolean stopped = false;
        for (NDArray p : params.values()) {
            p.setRequiresGradient(true);
            zeroGrad(p);
        }
        Batcher batcher = new Batcher(config.microBatch(), padId);
        trainingMode.accept(true);
        listener.onStart(plan);
        try (AdamW optimizer = new AdamW(params, config.beta1(), config.beta2(), config.eps(), config.weightDecay(),
                model.manager())) {
            long step = 0;
            int epoch = 0;
            while (step < plan.totalSteps() && !stopped) {
                List<Batch> micro = batcher.inOrder(epochOrder(examples, epoch));
                for (int i = 0; i < micro.size() && step < plan.totalSteps(); i += config.accumulation()) {
                    List<Batch> group = micro.subList(i, Math.min(micro.size(), i + config.accumulation()));
                    double lr = config.learningRate()
                            * config.schedule().factor(step, plan.warmupSteps(), plan.totalSteps());
                    long t0 = System.nanoTime();
                    StepLog log = step(group, optimizer, lr, step + 1, plan,
                            epoch + (double) Math.min(micro.size(), i + group.size()) / micro.size(), t0);
                    step++;
                    logs.add(log);
                    listener.onStep(log);
                    if (Thread.currentThread().isInterrupted()) {
                        stopped = step < plan.totalSteps();
                        break;
                    }
                }
                epoch++;
            }
        } finally {
            trainingMode.accept(false);
            for (NDArray p : params.values()) {
                zeroGrad(p);
            }
        }
        TrainResult result = new TrainResult(logs, stopped, (System.nanoTime() - start) / 1e9);
        listener.onEnd(result);
        return result;
    }

    private StepLog step(List<Batch> group, AdamW optimizer, double lr, long step, TrainPlan plan, double epoch,
            long t0) {
        int total = 0;
        int tokens = 0;
        for (Batch b : group) {
            total += targets(b);
            tokens += b.size() * b.length() - b.paddingTokens();
        }
        double lossSum = 0;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            for (Batch b : group) {
                try (NDManager scope = model.manager().newSubManager()) {
                    NDArray logits = model.logits(scope, input(b), null);
                    TokenLoss.Sum sum = TokenLoss.of(scope, logits, b.labels());
                    if (sum.count() == 0) {
                        continue; // nothing to learn from this micro-batch; its share of the loss is 0
                    }
                    gc.backward(sum.sum().div(scope.create((float) total)));
                    lossSum += sum.sum().getFloat();
                }
            }
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
        optimizer.step(lr);
        for (NDArray p : params.values()) {
            zeroGrad(p);
        }
        return new StepLog(step, plan.totalSteps(), epoch, loss, norm, lr, total, tokens,
                (System.nanoTime() - t0) / 1e9);
    }

    private List<TokenizedExample> epochOrder(List<TokenizedExample> examples, int epoch) {
        if (!config.shuffle()) {
            return examples;
        }
        List<TokenizedExample> order = new ArrayList<>(examples);
        Collections.shuffle(order, new Random(config.seed() * 1_000_003L + epoch));
        return order;
    }

    private static ForwardInput input(Batch b) {
        int[][] ids = b.inputIds();
        int[][] pos = b.positionIds();
        long[][] lids = new long[ids.length][];
        long[][] lpos = new long[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            lids[i] = java.util.Arrays.stream(ids[i]).asLongStream().toArray();
            lpos[i] = java.util.Arrays.stream(pos[i]).asLongStream().toArray();
        }
        return new ForwardInput(lids, lpos, b.attentionMask());
    }

    private static int targets(Batch b) {
        int n = 0;
        for (int[] row : b.labels()) {
            for (int j = 1; j < row.length; j++) {
                if (row[j] != io.jtune.finetune.data.format.LabelMasker.IGNORE) {
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
        for (TokenizedExample e : examples) {
            boolean any = false;
            int[] labels = e.labels();
            for (int j = 1; j < labels.length; j++) {
                any |= labels[j] != io.jtune.finetune.data.format.LabelMasker.IGNORE;
            }
            if (!any) {
                empty.add(e.source() == null ? "#" + examples.indexOf(e) : e.source().toString());
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

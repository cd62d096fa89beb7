package io.jtune.bench;

import static io.jtune.bench.BenchSupport.option;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.format.LabelMasker;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.lora.LoraConfig;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.lora.TargetModules;
import io.jtune.finetune.model.Architecture;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelConfig;
import io.jtune.finetune.model.RandomWeights;
import io.jtune.finetune.model.TensorMapWeights;
import io.jtune.finetune.quant.MemoryReport;
import io.jtune.finetune.quant.Quantization;
import io.jtune.finetune.train.LrSchedule;
import io.jtune.finetune.train.MemoryEstimate;
import io.jtune.finetune.train.RunControl;
import io.jtune.finetune.train.StepLog;
import io.jtune.finetune.train.TrainConfig;
import io.jtune.finetune.train.TrainListener;
import io.jtune.finetune.train.TrainPlan;
import io.jtune.finetune.train.TrainResult;
import io.jtune.finetune.train.TrainTarget;
import io.jtune.finetune.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Training throughput and peak memory of jtune's trainer on the ~58M-parameter benchmark Llama
 * (the shapes of {@link ModelThroughput}): LoRA r=8 on q_proj,v_proj, QLoRA (the same adapter on
 * the projections quantized to NF4 as the model is built), or full fine-tuning, with or without
 * gradient checkpointing. One process per configuration, so that the peak resident memory
 * (VmHWM) it prints is that configuration's. Every example is a full row of --seq tokens, all
 * targets.
 *
 * <pre>java -Dai.djl.offline=true -cp "bench/target/classes:bench/target/lib/*" io.jtune.bench.TrainThroughput \
 *     [--method lora|qlora|full] [--checkpointing] [--batch 4] [--seq 128] [--steps 8] [--threads 2]
 *     [--hidden 512 --layers 8 --heads 8 --vocab 32000]</pre>
 * (the defaults are the benchmark model; intermediate is 3 x hidden, kv heads half the heads)
 */
public final class TrainThroughput {
    private TrainThroughput() {}

    /** The random-weight model, its projections quantized to NF4 as they are built for qlora. */
    private static CausalLm build(ModelConfig c, NDManager manager, boolean nf4) {
        Map<String, NDArray> tensors = RandomWeights.create(c, manager, 1234, 0.02, 0.0);
        if (!nf4) {
            return CausalLm.fromTensors(c, manager, tensors);
        }
        try (TensorMapWeights weights = new TensorMapWeights(tensors)) {
            return CausalLm.build(c, manager, weights, Quantization.NF4.policy());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        String method = option(args, "--method", "lora");
        boolean ckpt = Arrays.asList(args).contains("--checkpointing");
        int batch = Integer.parseInt(option(args, "--batch", "4"));
        int seq = Integer.parseInt(option(args, "--seq", "128"));
        int steps = Integer.parseInt(option(args, "--steps", "8"));
        int threads = Integer.parseInt(option(args, "--threads", "2"));
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        int hidden = Integer.parseInt(option(args, "--hidden", "512"));
        int layers = Integer.parseInt(option(args, "--layers", "8"));
        int vocab = Integer.parseInt(option(args, "--vocab", "32000"));
        int heads = Integer.parseInt(option(args, "--heads", "8"));
        ModelConfig c = new ModelConfig(Architecture.LLAMA, vocab, hidden, hidden * 3, layers, heads, heads / 2,
                hidden / heads, 1e-5, 10000, null, false, 2048, "float32", 1, new int[] {2});
        Random r = new Random(7);
        List<TokenizedExample> data = new ArrayList<>();
        for (int i = 0; i < batch * (steps + 2); i++) {
            int[] ids = new int[seq];
            for (int j = 0; j < seq; j++) {
                ids[j] = 3 + r.nextInt(c.vocabSize() - 3);
            }
            int[] labels = ids.clone();
            labels[0] = LabelMasker.IGNORE;
            data.add(new TokenizedExample(ids, labels, new SourceRef("random", i + 1)));
        }
        NDManager manager = NDManager.newBaseManager("PyTorch");
        boolean qlora = method.equals("qlora");
        try (CausalLm model = build(c, manager, qlora)) {
            long afterLoad = MemoryEstimate.residentNow();
            TrainConfig cfg = TrainConfig.defaults().withSteps(0, steps + 2).withBatch(batch, 1)
                    .withLearningRate(1e-4, LrSchedule.CONSTANT, 0, 0).withOrder(1, false)
                    .withGradientCheckpointing(ckpt);
            LoraModel lora = !method.equals("full")
                    ? LoraModel.attach(model, LoraConfig.defaults().withTargets(TargetModules.parse("q_proj,v_proj")), 1)
                    : null;
            TrainTarget target = lora != null ? TrainTarget.lora(lora) : TrainTarget.full(model);
            Trainer trainer = new Trainer(target, cfg, RunControl.none());
            TrainPlan plan = trainer.plan(data);
            List<Double> tps = new ArrayList<>();
            TrainResult result = trainer.train(data, 0, new TrainListener() {
                @Override
                public void onStep(StepLog log) {
                    if (log.step() > 2) {
                        tps.add(log.tokensPerSecond());
                    }
                }
            });
            tps.sort(null);
            MemoryEstimate m = plan.memory();
            System.out.printf("model: %,d parameters; %s%s, batch %d x seq %d, %d threads%n", c.parameterCount(),
                    method, ckpt ? " + gradient checkpointing" : "", batch, seq, threads);
            System.out.printf("tokens/s (median of %d steps after 2 warm-ups): %.1f; final loss %.4f%n", tps.size(),
                    tps.get(tps.size() / 2), result.finalLoss());
            if (qlora) {
                System.out.println("NF4 base: " + MemoryReport.of(model));
            }
            System.out.printf("peak RSS %.1f MB (after loading the model: %.1f MB); estimate: weights %.1f MB,"
                    + " trained+grads+AdamW %.1f MB, activations %.1f MB (checkpointed %.1f MB)%n",
                    MemoryEstimate.measuredPeakRss() / 1e6, afterLoad / 1e6, m.weights() / 1e6,
                    (m.trained() + m.gradients() + m.optimizer()) / 1e6, m.activations() / 1e6,
                    m.activationsCheckpointed() / 1e6);
        }
    }
}

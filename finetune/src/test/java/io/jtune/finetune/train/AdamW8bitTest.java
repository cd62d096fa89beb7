package io.jtune.finetune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.format.LabelMasker;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.lora.LoraConfig;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.lora.TargetModules;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 8-bit AdamW: a quarter of the state memory, nearly the same training, and exact resume. */
class AdamW8bitTest {
    @TempDir
    Path tmp;

    private static CausalLm model() throws Exception {
        return ModelLoader.load(TrainGoldenTest.resource("golden/llama-gqa/config.json").getParent());
    }

    /** r 32 on every linear layer: A and B of 2,048+ values, most above bitsandbytes' min_8bit_size. */
    private static LoraModel lora(CausalLm m) {
        return LoraModel.attach(m, LoraConfig.defaults().withRank(32, 32).withDropout(0)
                .withTargets(TargetModules.parse("all-linear")), 2);
    }

    private static List<TokenizedExample> data() {
        SplittableRandom r = new SplittableRandom(3);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int len = 6 + r.nextInt(4);
            int token = 10 + r.nextInt(4);
            int[] ids = new int[len];
            int[] labels = new int[len];
            for (int j = 0; j < len; j++) {
                ids[j] = j == 0 ? 1 : token + j % 2;
                labels[j] = j == 0 ? LabelMasker.IGNORE : ids[j];
            }
            out.add(new TokenizedExample(ids, labels, new SourceRef("d.jsonl", i + 1)));
        }
        return out;
    }

    private static TrainConfig config(boolean eightBit) {
        return TrainConfig.defaults().withSteps(0, 20).withBatch(4, 1).withLearningRate(3e-3, LrSchedule.COSINE, 2, 0)
                .withOptimizer(0.01, 0.9, 0.999, 1e-8, 1.0).withOrder(4, true).withOptimizer8bit(eightBit);
    }

    @Test
    void eightBitMomentsTrainAlmostLikeF32WithAQuarterOfTheMemory() throws Exception {
        List<Double> f32 = new ArrayList<>();
        List<Double> q8 = new ArrayList<>();
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            Trainer.lora(l, config(false)).train(data(), 0, TrainListener.NONE).steps().forEach(s -> f32.add(s.loss()));
            }
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            Trainer.lora(l, config(true)).train(data(), 0, TrainListener.NONE).steps().forEach(s -> q8.add(s.loss()));
        }
        System.out.printf("f32 AdamW: %.4f -> %.4f; 8-bit: %.4f -> %.4f%n", f32.get(0), f32.get(19), q8.get(0), q8.get(19));
        assertEquals(f32.get(0), q8.get(0), 1e-6, "the first loss comes before any update");
        assertTrue(q8.get(19) < q8.get(0) * 0.8, "8-bit AdamW learns");
        assertTrue(Math.abs(q8.get(19) - f32.get(19)) < 0.1 * f32.get(19), "and about as well as f32");

        // r 64 on the projections whose A and B all have at least min_8bit_size (4,096) values
        try (CausalLm m = model();
                LoraModel l = LoraModel.attach(m, LoraConfig.defaults().withRank(64, 64)
                        .withTargets(TargetModules.parse("q_proj,o_proj,gate_proj,up_proj,down_proj")), 2);
                AdamW8bit opt = new AdamW8bit(l.trainable(), 0.9, 0.999, 1e-8, 0, java.util.Set.of());
                AdamW full = new AdamW(l.trainable(), 0.9, 0.999, 1e-8, 0, m.manager())) {
            Trainer.lora(l, config(false).withSteps(0, 1)).calibrate(data(), 0, 0);
            for (var p : l.trainable().values()) {
                p.setRequiresGradient(true);
            }
            // one step of each on zero gradients creates the states
            opt.step(0);
            full.step(0);
            double ratio = (double) opt.stateBytes() / full.stateBytes();
            long values = l.trainable().values().stream().mapToLong(a -> a.size()).sum();
            System.out.printf("state: 8-bit %,d bytes, f32 %,d bytes (%.3fx) for %,d values%n", opt.stateBytes(),
                    full.stateBytes(), ratio, values);
            assertEquals(2.0 / 8 + 2.0 / AdamW8bit.BLOCK, ratio, 0.01, "2 bytes and 2 block scales per 256 values, against 8");
        }
    }

    @Test
    void resumingWithEightBitStateRepeatsTheRun() throws Exception {
        List<Double> straight = new ArrayList<>();
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            new Trainer(TrainTarget.lora(l), config(true).withSteps(0, 8), RunControl.into(tmp.resolve("a"))
                    .withCheckpoints(4, 0)).train(data(), List.of(), 0, TrainListener.NONE, null).steps()
                    .forEach(s -> straight.add(s.loss()));
        }
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            List<Double> resumed = new ArrayList<>();
            new Trainer(TrainTarget.lora(l), config(true).withSteps(0, 8), RunControl.into(tmp.resolve("b")))
                    .train(data(), List.of(), 0, TrainListener.NONE, tmp.resolve("a/checkpoint-4")).steps()
                    .forEach(s -> resumed.add(s.loss()));
            assertEquals(straight.subList(4, 8), resumed);
        }
    }
}

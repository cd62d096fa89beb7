package io.jtune.finetune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.format.LabelMasker;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.lora.LoraConfig;
import io.jtune.finetune.lora.LoraInit;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.lora.TargetModules;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Accumulation, determinism, stop requests and refusals, on a golden tiny model. */
class TrainerTest {
    private static CausalLm model() throws Exception {
        return ModelLoader.load(TrainGoldenTest.resource("golden/llama-gqa/config.json").getParent());
    }

    private static LoraModel lora(CausalLm model) {
        return LoraModel.attach(model, LoraConfig.defaults().withRank(4, 8).withDropout(0)
                .withTargets(TargetModules.parse("all-linear")).withInit(LoraInit.RANDOM), 3);
    }

    /** Examples of different lengths and target counts. */
    private static List<TokenizedExample> data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 4 + r.nextInt(9);
            int[] ids = new int[len];
            int[] labels = new int[len];
            int prompt = 1 + r.nextInt(3);
            for (int j = 0; j < len; j++) {
                ids[j] = 1 + r.nextInt(96);
                labels[j] = j < prompt ? LabelMasker.IGNORE : ids[j];
            }
            out.add(new TokenizedExample(ids, labels, new SourceRef("data.jsonl", i + 1)));
        }
        return out;
    }

    private static TrainConfig config(int batch, int accum, long steps) {
        return TrainConfig.defaults().withSteps(0, steps).withLearningRate(1e-2, LrSchedule.CONSTANT, 0, 0)
                .withBatch(batch, accum).withOptimizer(0.01, 0.9, 0.999, 1e-8, 1.0).withOrder(1, false);
    }

    private static float[] flat(Map<String, NDArray> params) {
        List<Float> all = new ArrayList<>();
        for (NDArray a : params.values()) {
            for (float f : a.toFloatArray()) {
                all.add(f);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    @Test
    void fourMicroBatchesOfTwoGiveTheUpdateOfOneBatchOfEight() throws Exception {
        List<TokenizedExample> data = data(8, 5);
        float[] accumulated;
        double accumulatedLoss;
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            accumulatedLoss = Trainer.lora(l, config(2, 4, 1)).train(data, 0, TrainListener.NONE).finalLoss();
            accumulated = flat(l.trainable());
        }
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            double loss = Trainer.lora(l, config(8, 1, 1)).train(data, 0, TrainListener.NONE).finalLoss();
            float[] one = flat(l.trainable());
            assertEquals(loss, accumulatedLoss, 1e-5, "the same loss");
            double worst = 0;
            for (int i = 0; i < one.length; i++) {
                worst = Math.max(worst, Math.abs(one[i] - accumulated[i]));
            }
            System.out.printf("4 x 2 vs 1 x 8: loss %.7f vs %.7f, max |param diff| %.2e%n", accumulatedLoss, loss, worst);
            assertTrue(worst < 1e-5, "max |diff| " + worst);
        }
    }

    @Test
    void aPackedBatchGivesTheLossAndUpdateOfTheSameExamplesUnpacked() throws Exception {
        List<TokenizedExample> data = data(6, 12);
        TrainConfig oneBatch = config(6, 1, 1);
        float[] unpacked;
        double unpackedLoss;
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            unpackedLoss = Trainer.lora(l, oneBatch).train(data, 0, TrainListener.NONE).finalLoss();
            unpacked = flat(l.trainable());
        }
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            Trainer t = Trainer.lora(l, oneBatch.withPacking(40));
            assertTrue(t.plan(data).microBatchesPerEpoch() == 1);
            double loss = t.train(data, 0, TrainListener.NONE).finalLoss();
            float[] packed = flat(l.trainable());
            double worst = 0;
            for (int i = 0; i < packed.length; i++) {
                worst = Math.max(worst, Math.abs(packed[i] - unpacked[i]));
            }
            System.out.printf("packed vs unpacked: loss %.7f vs %.7f, max |param diff| %.2e%n", loss, unpackedLoss,
                    worst);
            assertEquals(unpackedLoss, loss, 1e-5, "examples do not see each other");
            assertTrue(worst < 1e-5, "max |diff| " + worst);
        }
    }

    @Test
    void packedRowsAreShuffledEachEpochNotLeftLongestFirst() throws Exception {
        List<TokenizedExample> data = data(40, 21);
        List<Integer> all = new ArrayList<>();
        data.forEach(e -> java.util.Arrays.stream(e.inputIds()).forEach(all::add));
        all.sort(null);
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            Trainer t = Trainer.lora(l, config(1, 1, 1).withPacking(16).withOrder(3, true));
            for (int epoch = 0; epoch < 2; epoch++) {
                List<Integer> tokens = new ArrayList<>();
                List<Integer> firstLengths = new ArrayList<>();
                for (var b : t.epochBatches(data, epoch, 0)) {
                    int[] ids = b.inputIds()[0];
                    int[] pos = b.positionIds()[0];
                    int first = 1;
                    while (first < pos.length && pos[first] != 0) {
                        first++;
                    }
                    firstLengths.add(first);
                    java.util.Arrays.stream(ids).forEach(tokens::add);
                }
                tokens.sort(null);
                assertEquals(all, tokens, "every example once in epoch " + epoch);
                List<Integer> longestFirst = new ArrayList<>(firstLengths);
                longestFirst.sort(java.util.Comparator.reverseOrder());
                assertTrue(!firstLengths.equals(longestFirst), "the packer's longest-first order is shuffled: " + firstLengths);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameLossesStepForStep() throws Exception {
        List<TokenizedExample> data = data(10, 6);
        TrainConfig c = config(2, 2, 6).withOrder(7, true);
        List<Double> first = new ArrayList<>();
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            Trainer.lora(l, c).train(data, 0, TrainListener.NONE).steps().forEach(s -> first.add(s.loss()));
        }
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            List<Double> second = new ArrayList<>();
            Trainer.lora(l, c).train(data, 0, TrainListener.NONE).steps().forEach(s -> second.add(s.loss()));
            assertEquals(first, second);
        }
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            List<Double> other = new ArrayList<>();
            Trainer.lora(l, c.withOrder(8, true)).train(data, 0, TrainListener.NONE).steps()
                    .forEach(s -> other.add(s.loss()));
            assertTrue(!other.equals(first), "another seed, another order");
        }
    }

    @Test
    void aStopRequestEndsTheRunAfterTheStepInProgress() throws Exception {
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            TrainResult r = Trainer.lora(l, config(2, 1, 50)).train(data(6, 7), 0, new TrainListener() {
                @Override
                public void onStep(StepLog log) {
                    if (log.step() == 3) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            assertTrue(Thread.interrupted(), "the interrupt stays visible to the caller");
            assertTrue(r.stopped());
            assertEquals(3, r.steps().size());
        }
    }

    @Test
    void aLossThatIsNotFiniteStopsTheRunNamingTheStep() throws Exception {
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            l.trainable().values().iterator().next().muli(m.manager().create(Float.NaN));
            TrainingException e = assertThrows(TrainingException.class,
                    () -> Trainer.lora(l, config(2, 1, 5)).train(data(4, 8), 0, TrainListener.NONE));
            assertEquals(1, e.step());
            assertTrue(e.getMessage().contains("step 1") && e.getMessage().contains("learning rate"), e.getMessage());
        }
    }

    @Test
    void examplesWithoutTargetsAreRefusedByName() throws Exception {
        List<TokenizedExample> data = new ArrayList<>(data(3, 9));
        data.add(new TokenizedExample(new int[] {5, 6, 7}, new int[] {-100, -100, -100}, new SourceRef("d.jsonl", 4)));
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Trainer.lora(l, config(2, 1, 2)).train(data, 0, TrainListener.NONE));
            assertTrue(e.getMessage().contains("d.jsonl:4"), e.getMessage());
        }
    }

    @Test
    void neftuneNoiseActsInTrainingStepsOnlyAndIsSeeded() throws Exception {
        List<TokenizedExample> data = data(6, 13);
        List<Double> plain = new ArrayList<>();
        List<Double> noisy = new ArrayList<>();
        List<Double> again = new ArrayList<>();
        float[] after;
        float[] clean;
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            Trainer.lora(l, config(2, 1, 3)).train(data, 0, TrainListener.NONE).steps().forEach(s -> plain.add(s.loss()));
        }
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            Trainer.lora(l, config(2, 1, 3).withNeftune(5)).train(data, 0, TrainListener.NONE).steps()
                    .forEach(s -> noisy.add(s.loss()));
            int[] ids = data.get(0).inputIds();
            try (var s = m.manager().newSubManager()) {
                after = m.logits(s, io.jtune.finetune.model.ForwardInput.of(new int[][] {ids}), null).toFloatArray();
                clean = m.logits(s, io.jtune.finetune.model.ForwardInput.of(new int[][] {ids}), null).toFloatArray();
            }
        }
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            Trainer.lora(l, config(2, 1, 3).withNeftune(5)).train(data, 0, TrainListener.NONE).steps()
                    .forEach(s -> again.add(s.loss()));
        }
        assertTrue(!plain.equals(noisy), "noise changes the training losses");
        assertEquals(noisy, again, "the same seed, the same noise");
        org.junit.jupiter.api.Assertions.assertArrayEquals(clean, after, "no noise after training");
    }

    @Test
    void thePlanEstimatesMemoryAndCalibrationLeavesTheWeightsAlone() throws Exception {
        List<TokenizedExample> data = data(8, 14);
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            Trainer t = Trainer.lora(l, config(4, 2, 3));
            TrainPlan plan = t.plan(data);
            MemoryEstimate mem = plan.memory();
            assertEquals(m.weightBytes(), mem.weights());
            assertEquals(4 * plan.trainableParameters(), mem.trained());
            assertEquals(2 * mem.trained(), mem.optimizer(), "two f32 moments per value");
            assertTrue(mem.activationsCheckpointed() < mem.activations());
            assertEquals(1, plan.stepsPerEpoch());
            float[] before = flat(l.trainable());
            double tps = t.calibrate(data, 0, 2);
            assertTrue(tps > 0 && Double.isFinite(tps), "tokens/s " + tps);
            org.junit.jupiter.api.Assertions.assertArrayEquals(before, flat(l.trainable()));
            assertTrue(plan.secondsAt(tps) > 0);
        }
    }

    @Test
    void gradientCheckpointingGivesThePlainUpdatesForLoraAndFullTraining() throws Exception {
        List<TokenizedExample> data = data(6, 15);
        TrainConfig c = config(3, 1, 3).withNeftune(0);
        for (boolean full : new boolean[] {false, true}) {
            float[][] params = new float[2][];
            List<List<Double>> losses = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                TrainConfig ck = c.withGradientCheckpointing(k == 1);
                try (CausalLm m = full ? ModelLoader.load(TrainGoldenTest.resource("golden/llama-tied-rope3/config.json")
                        .getParent()) : model()) {
                    List<Double> l = new ArrayList<>();
                    if (full) {
                        Trainer.full(m, ck.withLearningRate(1e-3, LrSchedule.CONSTANT, 0, 0)).train(data, 0,
                                TrainListener.NONE).steps().forEach(s -> l.add(s.loss()));
                        params[k] = flat(m.trainableTensors());
                    } else {
                        try (LoraModel lm = lora(m)) {
                            Trainer.lora(lm, ck).train(data, 0, TrainListener.NONE).steps().forEach(s -> l.add(s.loss()));
                            params[k] = flat(lm.trainable());
                        }
                    }
                    losses.add(l);
                }
            }
            double worst = 0;
            for (int i = 0; i < params[0].length; i++) {
                worst = Math.max(worst, Math.abs(params[0][i] - params[1][i]));
            }
            System.out.printf("%s: checkpointed vs plain, max |param diff| %.2e, losses %s vs %s%n",
                    full ? "full" : "lora", worst, losses.get(1), losses.get(0));
            assertTrue(worst < 1e-5, (full ? "full" : "lora") + ": " + worst);
            for (int i = 0; i < losses.get(0).size(); i++) {
                assertEquals(losses.get(0).get(i), losses.get(1).get(i), 1e-5);
            }
        }
    }

    @Test
    void theScheduleFollowsTransformers() {
        assertEquals(0.0, LrSchedule.LINEAR.factor(0, 3, 20), 0);
        assertEquals(2.0 / 3, LrSchedule.LINEAR.factor(2, 3, 20), 1e-12);
        assertEquals(1.0, LrSchedule.LINEAR.factor(3, 3, 20), 1e-12);
        assertEquals(1.0 / 17, LrSchedule.LINEAR.factor(19, 3, 20), 1e-12);
        assertEquals(0.5, LrSchedule.COSINE.factor(5, 0, 10), 1e-12);
        assertEquals(1.0, LrSchedule.CONSTANT.factor(100, 0, 10), 0);
        assertEquals(3, TrainConfig.defaults().withLearningRate(1e-3, LrSchedule.LINEAR, 0, 0.03).warmupFor(100));
    }
}

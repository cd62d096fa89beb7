package io.jtune.finetune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.format.LabelMasker;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.lora.LoraConfig;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.lora.TargetModules;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints, resume, metrics.jsonl, evaluation and early stopping. */
class RunFolderTest {
    @TempDir
    Path tmp;

    private static CausalLm model() throws Exception {
        return ModelLoader.load(TrainGoldenTest.resource("golden/llama-gqa/config.json").getParent());
    }

    /** Dropout on, so that resuming must also give the same dropout masks. */
    private static LoraModel lora(CausalLm model) {
        return LoraModel.attach(model, LoraConfig.defaults().withRank(4, 8).withDropout(0.1)
                .withTargets(TargetModules.parse("q_proj,v_proj")), 11);
    }

    /** A learnable task: each example repeats one token, so the loss can fall far. */
    private static List<TokenizedExample> data(int n, long seed, int offset) {
        SplittableRandom r = new SplittableRandom(seed);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 5 + r.nextInt(5);
            int token = 10 + r.nextInt(5);
            int[] ids = new int[len];
            int[] labels = new int[len];
            for (int j = 0; j < len; j++) {
                ids[j] = j == 0 ? 1 : token;
                labels[j] = j == 0 ? LabelMasker.IGNORE : token;
            }
            out.add(new TokenizedExample(ids, labels, new SourceRef("d.jsonl", offset + i + 1)));
        }
        return out;
    }

    private static TrainConfig config(long steps) {
        return TrainConfig.defaults().withSteps(0, steps).withLearningRate(5e-3, LrSchedule.COSINE, 2, 0)
                .withBatch(2, 2).withOrder(5, true);
    }

    @Test
    void resumingFromCheckpointNGivesTheLossesOfTheRunThatNeverStopped() throws Exception {
        List<TokenizedExample> data = data(10, 1, 0);
        List<Double> straight = new ArrayList<>();
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            RunControl c = RunControl.into(tmp.resolve("a")).withCheckpoints(4, 0);
            new Trainer(TrainTarget.lora(l), config(10), c).train(data, List.of(), 0, TrainListener.NONE, null)
                    .steps().forEach(s -> straight.add(s.loss()));
        }
        Path checkpoint = tmp.resolve("a/checkpoint-4");
        assertTrue(Files.isRegularFile(checkpoint.resolve("adapter_model.safetensors")));
        assertTrue(Files.isRegularFile(checkpoint.resolve("optimizer.safetensors")));
        JsonNode state = new ObjectMapper().readTree(checkpoint.resolve("trainer_state.json").toFile());
        assertEquals(4, state.get("global_step").asInt());
        assertEquals(4, state.get("log_history").size());
        List<String> lines = Files.readAllLines(tmp.resolve("a/metrics.jsonl"));
        assertEquals(10, lines.size());
        assertEquals(straight.get(0), new ObjectMapper().readTree(lines.get(0)).get("loss").asDouble(), 0);

        try (CausalLm m = model(); LoraModel l = lora(m)) {
            RunControl c = RunControl.into(tmp.resolve("b")).withCheckpoints(4, 0);
            TrainResult r = new Trainer(TrainTarget.lora(l), config(10), c).train(data, List.of(), 0,
                    TrainListener.NONE, checkpoint);
            List<Double> resumed = new ArrayList<>();
            r.steps().forEach(s -> resumed.add(s.loss()));
            assertEquals(6, resumed.size());
            assertEquals(5, r.steps().get(0).step());
            assertEquals(straight.subList(4, 10), resumed, "steps 5..10 exactly as the run that never stopped");
        }
    }

    @Test
    void keepLastRemovesOldCheckpointsButNeverTheBest() throws Exception {
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            RunControl c = RunControl.into(tmp.resolve("k")).withCheckpoints(2, 2).withEval(2, 0, 0, false);
            new Trainer(TrainTarget.lora(l), config(10), c).train(data(10, 2, 0), data(4, 3, 100), 0,
                    TrainListener.NONE, null);
        }
        List<String> left;
        try (var s = Files.list(tmp.resolve("k"))) {
            left = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("checkpoint-")).sorted().toList();
        }
        assertTrue(left.contains("checkpoint-10") && left.contains("checkpoint-8"), left.toString());
        assertTrue(left.size() <= 3, "the newest two and the best: " + left);
        JsonNode state = new ObjectMapper().readTree(tmp.resolve("k/checkpoint-10/trainer_state.json").toFile());
        String best = state.get("best_model_checkpoint").asText();
        assertTrue(Files.isDirectory(Path.of(best)), best);
    }

    @Test
    void earlyStoppingEndsTheRunAndRestoresTheBestAdapter() throws Exception {
        // validation on a different task than training: the validation loss rises after a few steps
        List<TokenizedExample> train = data(10, 4, 0);
        List<TokenizedExample> val = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int[] ids = {1, 40, 41, 42, 43, 44};
            int[] labels = {LabelMasker.IGNORE, 40, 41, 42, 43, 44};
            val.add(new TokenizedExample(ids, labels, new SourceRef("v.jsonl", i + 1)));
        }
        try (CausalLm m = model(); LoraModel l = lora(m)) {
            RunControl c = RunControl.into(tmp.resolve("e")).withEval(1, 2, 0, true);
            TrainConfig cfg = config(40).withLearningRate(3e-2, LrSchedule.CONSTANT, 0, 0);
            Trainer t = new Trainer(TrainTarget.lora(l), cfg, c);
            TrainResult r = t.train(train, val, 0, TrainListener.NONE, null);
            assertTrue(r.earlyStopped(), "stopped early");
            assertTrue(r.steps().size() < 40);
            assertTrue(r.restoredBest());
            EvalLog now = t.evaluate(val, 0, r.steps().size());
            assertEquals(r.best().loss(), now.loss(), 1e-5, "the weights are the best evaluation's");
            double last = r.evals().get(r.evals().size() - 1).loss();
            assertTrue(last > r.best().loss(), "the last evaluation was worse than the best");
            assertFalse(r.stopped());
        }
    }
}

package io.jtune.finetune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ForwardInput;
import io.jtune.finetune.model.ModelLoader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trainer against a plain PyTorch loop over the same PEFT model, weights, data order, AdamW,
 * schedule, clipping, completion-only loss and accumulation
 * (finetune/src/test/python/train/make_train_golden.py): every step's loss, gradient norm and
 * learning rate, and the logits after the run.
 */
class TrainGoldenTest {
    static Path resource(String path) throws Exception {
        return Paths.get(TrainGoldenTest.class.getResource("/" + path).toURI());
    }

    static List<TokenizedExample> examples(JsonNode g) {
        List<TokenizedExample> out = new ArrayList<>();
        for (JsonNode e : g.get("examples")) {
            int[] ids = new int[e.get("input_ids").size()];
            int[] labels = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = e.get("input_ids").get(i).asInt();
                labels[i] = e.get("labels").get(i).asInt();
            }
            out.add(new TokenizedExample(ids, labels, new SourceRef("golden.json", out.size() + 1)));
        }
        return out;
    }

    static TrainConfig config(JsonNode c) {
        return TrainConfig.defaults()
                .withSteps(0, c.get("steps").asLong())
                .withLearningRate(c.get("lr").asDouble(), LrSchedule.parse(c.get("schedule").asText()),
                        c.get("warmup").asLong(), 0)
                .withBatch(c.get("batch").asInt(), c.get("accum").asInt())
                .withOptimizer(c.get("weight_decay").asDouble(), c.get("betas").get(0).asDouble(),
                        c.get("betas").get(1).asDouble(), c.get("eps").asDouble(), c.get("max_grad_norm").asDouble())
                .withOrder(0, false);
    }

    @org.junit.jupiter.api.Test
    void fullFineTuningOfATiedModelMatchesPyTorch() throws Exception {
        Path dir = resource("train/full-tied/golden.json").getParent();
        JsonNode g = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
        Path modelDir = resource("golden/" + g.get("config").get("model").asText() + "/config.json").getParent();
        try (CausalLm model = ModelLoader.load(modelDir)) {
            List<TokenizedExample> data = examples(g);
            java.util.Map<String, ai.djl.ndarray.NDArray> params = model.trainableTensors();
            assertEquals(model.parameters().size(), params.size(), "every parameter, the tied embedding once");
            TrainResult r = Trainer.full(model, config(g.get("config"))).train(data, 0, TrainListener.NONE);
            compare("full-tied", g, r, model, data);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lora-accum-linear", "lora-cosine-rslora"})
    void everyStepMatchesPyTorch(String name) throws Exception {
        Path dir = resource("train/" + name + "/golden.json").getParent();
        JsonNode g = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
        String modelName = g.get("config").get("model").asText();
        Path modelDir = resource("golden/" + modelName + "/config.json").getParent();
        try (CausalLm model = ModelLoader.load(modelDir); LoraModel lora = LoraModel.load(model, dir.resolve("adapter-init"))) {
            List<TokenizedExample> data = examples(g);
            TrainResult r = Trainer.lora(lora, config(g.get("config"))).train(data, 0, TrainListener.NONE);
            compare(name, g, r, model, data);
        }
    }

    private static void compare(String name, JsonNode g, TrainResult r, CausalLm model, List<TokenizedExample> data) {
        {
            JsonNode steps = g.get("steps");
            assertEquals(steps.size(), r.steps().size());
            double worstLoss = 0;
            double worstNorm = 0;
            for (int i = 0; i < steps.size(); i++) {
                JsonNode want = steps.get(i);
                StepLog got = r.steps().get(i);
                assertEquals(want.get("target_tokens").asInt(), got.targetTokens(), "step " + (i + 1) + " targets");
                assertEquals(want.get("lr").asDouble(), got.learningRate(), 1e-9 + 1e-6 * want.get("lr").asDouble(),
                        "step " + (i + 1) + " lr");
                worstLoss = Math.max(worstLoss, Math.abs(want.get("loss").asDouble() - got.loss()));
                worstNorm = Math.max(worstNorm, Math.abs(want.get("grad_norm").asDouble() - got.gradNorm()));
                assertEquals(want.get("loss").asDouble(), got.loss(), 1e-4, "step " + (i + 1) + " loss");
                assertEquals(want.get("grad_norm").asDouble(), got.gradNorm(), 1e-4, "step " + (i + 1) + " grad norm");
            }
            float[] logits;
            try (NDManager s = model.manager().newSubManager()) {
                logits = model.logits(s, ForwardInput.of(new int[][] {data.get(0).inputIds()}), null).toFloatArray();
            }
            float[] want = io.jtune.finetune.lora.LoraFixturesAccess.floats(g.get("final_logits"));
            double worst = 0;
            for (int i = 0; i < want.length; i++) {
                worst = Math.max(worst, Math.abs(want[i] - logits[i]));
            }
            System.out.printf("%s: %d steps, loss %.4f -> %.4f, max |loss diff| %.2e, |norm diff| %.2e,"
                    + " final logits %.2e%n", name, r.steps().size(), r.steps().get(0).loss(), r.finalLoss(),
                    worstLoss, worstNorm, worst);
            assertTrue(worst < 1e-3, "final logits: " + worst);
        }
    }
}

package io.jtune.finetune.lora;

import static io.jtune.finetune.lora.LoraFixtures.floats;
import static io.jtune.finetune.lora.LoraFixtures.ints;
import static io.jtune.finetune.lora.LoraFixtures.maxDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtune.finetune.io.safetensors.SafetensorsReader;
import io.jtune.finetune.model.CausalLm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adapters saved by real PEFT 0.21 (make_lora_golden.py) loaded here: the trainable-parameter
 * line, logits with the adapter on and off, the loss and the gradients of every LoRA tensor, the
 * merged model's logits, and a save that writes PEFT's tensor names.
 */
class PeftGoldenTest {
    private static final double LOGITS_TOL = 1e-4;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"peft-qv", "peft-all-rslora", "peft-regex-qwen2"})
    void aPeftAdapterGivesPeftsLogitsCountsAndGradients(String name) throws Exception {
        Path dir = LoraFixtures.adapter(name);
        JsonNode g = LoraFixtures.json(dir.resolve("golden.json"));
        int[] ids = ints(g.get("input_ids").get(0));
        try (CausalLm model = LoraFixtures.model(g.get("model").asText());
                LoraModel lora = LoraModel.load(model, dir)) {
            assertEquals(g.get("report").asText(), lora.count().toString());
            assertEquals(g.get("trainable_params").asLong(), lora.count().trainable());

            double on = maxDiff(floats(g.get("logits")), LoraFixtures.logits(model, ids));
            float[] base;
            try (AutoCloseable off = lora.disabled()) {
                base = LoraFixtures.logits(model, ids);
            }
            double offDiff = maxDiff(floats(g.get("base_logits")), base);
            double moved = maxDiff(floats(g.get("logits")), floats(g.get("base_logits")));
            System.out.printf("%s: logits on %.2e, off %.2e (the adapter moves them by %.3f)%n", name, on, offDiff,
                    moved);
            assertTrue(on < LOGITS_TOL, "adapter on: " + on);
            assertTrue(offDiff < LOGITS_TOL, "adapter off: " + offDiff);
            assertTrue(moved > 100 * LOGITS_TOL, "the golden adapter must change the logits to prove anything");

            LoraFixtures.LossAndGrads lg = LoraFixtures.lossAndGrads(lora, ids);
            assertEquals(g.get("loss").asDouble(), lg.loss(), 1e-5, "loss");
            double worst = 0;
            for (Map.Entry<String, float[]> e : lg.grads().entrySet()) {
                JsonNode expected = g.get("grads").get(e.getKey());
                assertTrue(expected != null, "PEFT has no gradient for " + e.getKey());
                float[] want = floats(expected);
                for (int i = 0; i < want.length; i++) {
                    double diff = Math.abs(want[i] - e.getValue()[i]);
                    worst = Math.max(worst, diff);
                    assertTrue(diff <= 1e-5 + 1e-3 * Math.abs(want[i]),
                            e.getKey() + "[" + i + "]: PEFT " + want[i] + ", here " + e.getValue()[i]);
                }
            }
            assertEquals(g.get("grads").size(), lg.grads().size(), "as many trainable tensors as PEFT");
            System.out.printf("%s: loss %.7f (PEFT %.7f), max |grad diff| %.2e%n", name, lg.loss(),
                    g.get("loss").asDouble(), worst);

            lora.merge();
            double merged = maxDiff(floats(g.get("merged_logits")), LoraFixtures.logits(model, ids));
            assertTrue(merged < LOGITS_TOL, "merged: " + merged);
            lora.unmerge();

            lora.save(tmp.resolve(name));
            List<String> keys;
            try (SafetensorsReader r = SafetensorsReader.open(tmp.resolve(name).resolve("adapter_model.safetensors"))) {
                keys = new ArrayList<>(r.tensors().keySet());
            }
            keys.sort(null);
            List<String> want = new ArrayList<>();
            g.get("saved_keys").forEach(k -> want.add(k.asText()));
            assertEquals(want, keys);
        }
        try (CausalLm model = LoraFixtures.model(g.get("model").asText());
                LoraModel again = LoraModel.load(model, tmp.resolve(name))) {
            assertTrue(maxDiff(floats(g.get("logits")), LoraFixtures.logits(model, ids)) < LOGITS_TOL,
                    "our saved copy gives PEFT's logits");
        }
    }
}

package io.jtune.finetune.lora;

import static io.jtune.finetune.lora.LoraFixtures.floats;
import static io.jtune.finetune.lora.LoraFixtures.ints;
import static io.jtune.finetune.lora.LoraFixtures.maxDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtune.finetune.model.CausalLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adapter written here loads in PEFT with the same logits. The folder in
 * {@code resources/lora/jtune-written} is what this test writes (it checks byte for byte); PEFT
 * 0.21 loaded it (make_lora_golden.py) and its logits are in {@code peft_logits.json}. Run with
 * {@code -Djtune.lora.writeGolden=true} to rewrite the folder after a deliberate format change, then
 * rerun the script.
 */
class PeftInteropTest {
    private static final String MODEL = "mistral";

    @TempDir
    Path tmp;

    private static LoraModel written(CausalLm model) {
        LoraConfig c = LoraConfig.defaults().withRank(4, 16).withTargets(TargetModules.parse("all-linear"))
                .withInit(LoraInit.RANDOM).withModulesToSave(java.util.List.of("lm_head")).withBaseModel(MODEL);
        LoraModel lora = LoraModel.attach(model, c, 2024);
        lora.trainable().get("base_model.model.lm_head.weight").muli(model.manager().create(1.25f));
        return lora;
    }

    @Test
    void anAdapterSavedHereIsWhatPeftLoadedAndGivesPeftsLogits() throws Exception {
        try (CausalLm model = LoraFixtures.model(MODEL); LoraModel lora = written(model)) {
            Path out = tmp.resolve("adapter");
            lora.save(out);
            if (Boolean.getBoolean("jtune.lora.writeGolden")) {
                Path src = Paths.get(System.getProperty("basedir", "finetune"), "src/test/resources/lora/jtune-written");
                lora.save(src);
                System.out.println("wrote " + src + "; now run make_lora_golden.py for peft_logits.json");
            }
            Path committed = LoraFixtures.adapter("jtune-written");
            for (String f : new String[] {"adapter_config.json", "adapter_model.safetensors"}) {
                assertArrayEquals(Files.readAllBytes(committed.resolve(f)), Files.readAllBytes(out.resolve(f)),
                        f + " is written as committed");
            }
            JsonNode peft = LoraFixtures.json(committed.resolve("peft_logits.json"));
            int[] ids = ints(peft.get("input_ids").get(0));
            double diff = maxDiff(floats(peft.get("logits")), LoraFixtures.logits(model, ids));
            double moved = maxDiff(floats(peft.get("logits")), floats(peft.get("base_logits")));
            System.out.printf("jtune-written in PEFT: max |logit diff| %.2e, adapter moves logits by %.3f%n", diff,
                    moved);
            assertTrue(diff < 1e-4, "PEFT's logits for our adapter: " + diff);
            assertTrue(moved > 0.01);
            assertEquals(peft.get("all_params").asLong(), lora.count().all(), "PEFT counts the same parameters");
        }
    }
}

package io.jtune.finetune.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.io.safetensors.SafetensorsReader;
import io.jtune.finetune.io.safetensors.SafetensorsWriter;
import io.jtune.finetune.io.safetensors.TensorData;
import io.jtune.finetune.model.CausalLm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adapter folders that do not fit: each refused with the file and field named, the model unchanged. */
class PeftAdapterTest {
    private static final int[] IDS = {37, 65, 65, 25, 33, 95, 68, 17, 46};

    @TempDir
    Path tmp;

    /** A copy of PEFT's peft-qv folder with its config text changed by {@code edit}. */
    private Path withConfig(UnaryOperator<String> edit) throws IOException {
        Path src = LoraFixtures.adapter("peft-qv");
        Path dir = Files.createTempDirectory(tmp, "adapter");
        Files.copy(src.resolve("adapter_model.safetensors"), dir.resolve("adapter_model.safetensors"));
        Files.writeString(dir.resolve("adapter_config.json"),
                edit.apply(Files.readString(src.resolve("adapter_config.json"))));
        return dir;
    }

    private static String refused(Path dir) throws Exception {
        try (CausalLm model = LoraFixtures.model("llama-gqa")) {
            float[] before = LoraFixtures.logits(model, IDS);
            IOException e = assertThrows(IOException.class, () -> LoraModel.load(model, dir));
            assertArrayEquals(before, LoraFixtures.logits(model, IDS), "the model is unchanged");
            assertTrue(model.linears().values().stream().allMatch(l -> l.adapter() == null));
            return e.getMessage();
        }
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + p + "' missing from: " + message);
        }
    }

    @Test
    void unsupportedPeftFeaturesAreNamed() throws Exception {
        assertMentions(refused(withConfig(s -> s.replace("\"use_dora\": false", "\"use_dora\": true"))),
                "adapter_config.json", "use_dora", "DoRA");
        assertMentions(refused(withConfig(s -> s.replace("\"rank_pattern\": {}", "\"rank_pattern\": {\"q_proj\": 2}"))),
                "rank_pattern");
        assertMentions(refused(withConfig(s -> s.replace("\"peft_type\": \"LORA\"", "\"peft_type\": \"IA3\""))),
                "peft_type", "IA3");
        assertMentions(refused(withConfig(s -> s.replace("\"bias\": \"none\"", "\"bias\": \"all\""))), "bias");
        assertMentions(refused(withConfig(s -> s.replace("\"r\": 4", "\"r\": \"four\""))), "r must be a positive");
        assertMentions(refused(withConfig(s -> s.substring(0, s.length() / 2))), "not valid JSON");
    }

    @Test
    void tensorsThatDoNotFitTheModelOrConfigAreNamed() throws Exception {
        assertMentions(refused(withConfig(s -> s.replace("\"r\": 4", "\"r\": 8"))),
                "lora_A.weight", "[4, 64]", "r = 8");
        assertMentions(refused(withConfig(s -> s.replace("\"v_proj\"", "\"k_proj\""))),
                "no tensor", "k_proj.lora_A.weight");
        assertMentions(refused(withConfig(s -> s.replace("\"v_proj\"", "\"v_proj\", \"o_proj\""))),
                "o_proj.lora_A.weight");

        Path extra = withConfig(s -> s);
        List<TensorData> tensors = new ArrayList<>();
        try (SafetensorsReader r = SafetensorsReader.open(extra.resolve("adapter_model.safetensors"))) {
            for (String n : r.tensors().keySet()) {
                tensors.add(TensorData.f32(n, r.info(n).shape(), r.readFloats(n)));
            }
        }
        tensors.add(TensorData.f32("base_model.model.model.layers.7.self_attn.q_proj.lora_A.weight",
                new long[] {4, 64}, new float[256]));
        SafetensorsWriter.write(extra.resolve("adapter_model.safetensors"), tensors);
        assertMentions(refused(extra), "fit no module", "layers.7");
    }

    @Test
    void missingFilesAreNamed() throws Exception {
        assertMentions(refused(tmp.resolve("nowhere")), "nowhere", "no such adapter folder");
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Files.write(bin.resolve("adapter_model.bin"), new byte[] {1});
        assertMentions(refused(bin), "adapter_config.json", "adapter_model.bin", "safetensors");
        Path noWeights = withConfig(s -> s);
        Files.delete(noWeights.resolve("adapter_model.safetensors"));
        assertMentions(refused(noWeights), "adapter_model.safetensors", "not found");
    }
}

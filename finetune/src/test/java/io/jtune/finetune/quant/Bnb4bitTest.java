package io.jtune.finetune.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.io.safetensors.DType;
import io.jtune.finetune.io.safetensors.SafetensorsReader;
import io.jtune.finetune.io.safetensors.SafetensorsWriter;
import io.jtune.finetune.io.safetensors.TensorData;
import io.jtune.finetune.io.safetensors.TensorInfo;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.Linear;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.model.TinyModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bitsandbytes' 4-bit serialization as transformers saves it: written, checked and read back bit for bit. */
class Bnb4bitTest {
    @TempDir
    Path dir;

    @Test
    void theQuantStateJsonIsWhatBitsandbytesPacksByteForByte() throws Exception {
        try (SafetensorsReader golden = SafetensorsReader.open(
                Path.of(Bnb4bitTest.class.getResource("/quant/nf4_golden.safetensors").toURI()))) {
            for (String c : Nf4GoldenTest.cases()) {
                Nf4Tensor t = Nf4Tensor.quantize(golden.readFloats(c + ".input"), golden.info(c + ".input").shape());
                byte[] expected = new byte[(int) golden.info(c + ".quant_state").numel()];
                golden.readRaw(c + ".quant_state").get(expected);
                assertEquals(new String(expected, StandardCharsets.UTF_8), Bnb4bit.stateJson(t), c);
            }
        }
    }

    @Test
    void oneWeightIsSixTensorsUnderTheNamesAndShapesTransformersLoads() throws Exception {
        Nf4Tensor t = Nf4Tensor.quantize(Nf4WeightTest.normal(96 * 320, 1, 0.02), 96, 320); // 480 blocks: 2 nested
        Path f = dir.resolve("w.safetensors");
        SafetensorsWriter.write(f, Bnb4bit.tensors("model.layers.0.mlp.up_proj", t));
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            String w = "model.layers.0.mlp.up_proj.weight";
            Map<String, TensorInfo> infos = r.tensors();
            assertEquals(List.of(w, w + ".absmax", w + ".quant_map", w + ".nested_absmax", w + ".nested_quant_map",
                    w + ".quant_state.bitsandbytes__nf4").stream().sorted().toList(),
                    infos.keySet().stream().sorted().toList());
            assertLayout(infos.get(w), DType.U8, 96 * 320 / 2, 1);
            assertLayout(infos.get(w + ".absmax"), DType.U8, 480);
            assertLayout(infos.get(w + ".quant_map"), DType.F32, 16);
            assertLayout(infos.get(w + ".nested_absmax"), DType.F32, 2);
            assertLayout(infos.get(w + ".nested_quant_map"), DType.F32, 256);
            assertEquals(DType.U8, infos.get(w + ".quant_state.bitsandbytes__nf4").dtype());
            JsonNode state = new ObjectMapper().readTree(Bnb4bit.stateJson(t));
            assertEquals(List.of("quant_type", "blocksize", "dtype", "shape", "nested_blocksize", "nested_dtype",
                    "nested_offset"), iterate(state));
            assertEquals(t.offset(), (float) state.get("nested_offset").asDouble());
            assertEquals(t, Bnb4bit.read(r, "model.layers.0.mlp.up_proj"), "read back bit for bit");
        }
    }

    private static List<String> iterate(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static void assertLayout(TensorInfo info, DType type, long... shape) {
        assertEquals(type, info.dtype(), info.name());
        assertArrayEquals(shape, info.shape(), info.name());
    }

    @Test
    void aQuantizedModelSavesAsABitsandbytesCheckpointAndLoadsBackBitForBit() throws Exception {
        Path base = dir.resolve("base");
        Path out = dir.resolve("nf4");
        TinyModels.write(base, TinyModels.TEST_LLAMA, 3);
        try (CausalLm q = ModelLoader.load(base, Quantization.NF4)) {
            Bnb4bitCheckpoint.save(q, base, out);
            JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
            JsonNode qc = config.get("quantization_config");
            assertEquals("bitsandbytes", qc.get("quant_method").asText());
            assertEquals("nf4", qc.get("bnb_4bit_quant_type").asText());
            assertTrue(qc.get("bnb_4bit_use_double_quant").asBoolean());
            assertTrue(qc.get("load_in_4bit").asBoolean());
            assertEquals("uint8", qc.get("bnb_4bit_quant_storage").asText());
            assertTrue(Files.exists(out.resolve("tokenizer.json")));
            try (SafetensorsReader r = SafetensorsReader.open(out.resolve("model.safetensors"))) {
                assertEquals(DType.U8, r.info("model.layers.1.self_attn.q_proj.weight").dtype());
                assertEquals(DType.F32, r.info("lm_head.weight").dtype(), "the head stays float32");
                assertTrue(r.tensors().keySet().stream().noneMatch(n -> n.startsWith("lm_head.weight.")));
            }
            assertTrue(Bnb4bitCheckpoint.isCheckpoint(out));
            try (CausalLm back = ModelLoader.load(out)) {
                for (Map.Entry<String, Linear> e : q.linears().entrySet()) {
                    Linear l = back.linears().get(e.getKey());
                    assertEquals(e.getValue().weight().kind(), l.weight().kind(), e.getKey());
                    if (l.weight() instanceof Nf4Weight w) {
                        assertEquals(((Nf4Weight) e.getValue().weight()).tensor(), w.tensor(), e.getKey());
                    }
                }
                assertArrayEquals(Nf4PolicyTest.logits(q), Nf4PolicyTest.logits(back));
            }
        }
    }

    @Test
    void aStateThisCodecDoesNotWriteIsRefusedNamingTheField() throws Exception {
        Nf4Tensor t = Nf4Tensor.quantize(Nf4WeightTest.normal(128, 2, 0.02), 2, 64);
        List<TensorData> tensors = new ArrayList<>(Bnb4bit.tensors("m", t));
        byte[] state = Bnb4bit.stateJson(t).replace("\"blocksize\": 64", "\"blocksize\": 128")
                .getBytes(StandardCharsets.UTF_8);
        tensors.set(5, TensorData.u8("m.weight" + Bnb4bit.STATE_SUFFIX, new long[] {state.length}, state));
        Path f = dir.resolve("bad.safetensors");
        SafetensorsWriter.write(f, tensors);
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            IOException e = assertThrows(IOException.class, () -> Bnb4bit.read(r, "m"));
            assertEquals("m.weight.quant_state.bitsandbytes__nf4: blocksize is 128; jtune reads blocksize 64 only",
                    e.getMessage());
        }
    }
}

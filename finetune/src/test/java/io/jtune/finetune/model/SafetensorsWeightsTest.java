package io.jtune.finetune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.jtune.finetune.io.safetensors.HalfFloats;
import io.jtune.finetune.io.safetensors.SafetensorsWriter;
import io.jtune.finetune.io.safetensors.TensorData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a model folder tensor by tensor, sharded and in bf16. */
class SafetensorsWeightsTest {
    private static final ModelConfig C = RandomModels.config(Architecture.LLAMA, 2, false, null);
    private static final long SEED = 8;

    @TempDir
    Path dir;

    @BeforeEach
    void writeABf16ShardedFolder() throws Exception {
        Map<String, long[]> shapes = RandomWeights.shapes(C);
        List<TensorData> tensors = new ArrayList<>();
        RandomWeights.values(C, SEED, 0.25, 0.1).forEach((n, v) -> tensors.add(TensorData.bf16(n, shapes.get(n), v)));
        SafetensorsWriter.writeSharded(dir, tensors, 10_000);
        Files.writeString(dir.resolve("config.json"), TinyModels.configJson(C, TinyModels.TEST_LLAMA).toString());
    }

    private static float bf16(float v) {
        return HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v));
    }

    @Test
    void aTensorIsReadWidenedToF32OnlyWhenTaken() throws Exception {
        float[] expected = RandomWeights.values(C, SEED, 0.25, 0.1).get("model.layers.1.mlp.up_proj.weight");
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                SafetensorsWeights w = SafetensorsWeights.open(dir, manager)) {
            int all = w.untaken().size();
            assertEquals(RandomWeights.shapes(C).size(), all);
            NDArray up = w.take("model.layers.1.mlp.up_proj.weight", 48, 32);
            assertEquals(DataType.FLOAT32, up.getDataType());
            assertInManager(manager, up);
            float[] got = up.toFloatArray();
            for (int i = 0; i < got.length; i++) {
                assertEquals(bf16(expected[i]), got[i], 0f, "value " + i);
            }
            assertFalse(w.contains("model.layers.1.mlp.up_proj.weight"));
            w.skip("model.norm.weight");
            assertEquals(all - 2, w.untaken().size());
            IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                    () -> w.take("model.layers.1.mlp.up_proj.weight", 48, 32));
            assertEquals("tensor 'model.layers.1.mlp.up_proj.weight' is missing from the weights", again.getMessage());
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> w.take("model.layers.0.mlp.up_proj.weight", 32, 48));
            assertEquals("tensor 'model.layers.0.mlp.up_proj.weight' has shape [48, 32] but the config needs (32, 48)",
                    shape.getMessage());
            assertTrue(w.contains("model.layers.0.mlp.up_proj.weight"), "a refused tensor is still there");
        }
    }

    private static void assertInManager(NDManager manager, NDArray a) {
        assertTrue(a.getManager() == manager, "the array lives in the model's manager");
    }

    @Test
    void aBf16ShardedFolderLoadsToTheModelOfItsRoundedValues() throws Exception {
        assertTrue(Files.exists(dir.resolve("model.safetensors.index.json")), "the folder is sharded");
        NDManager manager = NDManager.newBaseManager("PyTorch");
        Map<String, float[]> rounded = RandomWeights.values(C, SEED, 0.25, 0.1);
        rounded.values().forEach(v -> {
            for (int i = 0; i < v.length; i++) {
                v[i] = bf16(v[i]);
            }
        });
        Map<String, long[]> shapes = RandomWeights.shapes(C);
        Map<String, NDArray> arrays = new java.util.LinkedHashMap<>();
        rounded.forEach((n, v) -> arrays.put(n, manager.create(v, new ai.djl.ndarray.types.Shape(shapes.get(n)))));
        ForwardInput in = ForwardInput.of(new int[][] {{7, 3, 9, 1}});
        try (CausalLm reference = CausalLm.fromTensors(C, manager, arrays);
                CausalLm loaded = ModelLoader.load(dir);
                NDManager a = reference.manager().newSubManager();
                NDManager b = loaded.manager().newSubManager()) {
            assertArrayEquals(reference.logits(a, in, null).toFloatArray(), loaded.logits(b, in, null).toFloatArray());
        }
    }
}

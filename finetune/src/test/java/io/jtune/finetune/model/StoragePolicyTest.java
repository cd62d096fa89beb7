package io.jtune.finetune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model whose projections are stored through a custom policy computes what the dense one does. */
class StoragePolicyTest {
    private static final ModelConfig LLAMA = RandomModels.config(Architecture.LLAMA, 2, false, null);
    private static final ForwardInput INPUT = ForwardInput.of(new int[][] {{3, 1, 4, 1, 5, 9, 2, 6}});

    @TempDir
    Path dir;

    private static float[] logits(CausalLm m) {
        try (NDManager scope = m.manager().newSubManager()) {
            return m.logits(scope, INPUT, null).toFloatArray();
        }
    }

    private static List<String> projections(ModelConfig c) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            for (String p : List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                    "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")) {
                names.add("model.layers." + i + "." + p);
            }
        }
        if (!c.tieWordEmbeddings()) {
            names.add("lm_head");
        }
        return names;
    }

    @Test
    void aCountingStorageIsReadOncePerProjectionPerForwardAndChangesNoLogit() throws Exception {
        float[] dense;
        try (CausalLm m = RandomModels.build(LLAMA, 11)) {
            dense = logits(m);
        }
        Map<String, CountingStorage> stored = new LinkedHashMap<>();
        StoragePolicy counting = (module, w) -> {
            CountingStorage s = new CountingStorage(w, "counted", 123);
            stored.put(module, s);
            return s;
        };
        NDManager manager = NDManager.newBaseManager("PyTorch");
        try (TensorMapWeights source = RandomWeights.source(LLAMA, manager, 11, 0.25, 0.1);
                CausalLm m = CausalLm.build(LLAMA, manager, source, counting)) {
            assertEquals(projections(LLAMA), List.copyOf(stored.keySet()), "one call per projection, in HF order");
            assertArrayEquals(dense, logits(m), "the same weights give the same logits");
            stored.forEach((name, s) -> assertEquals(1, s.reads.get(), name));
            assertTrue(m.linears().get("model.layers.1.mlp.up_proj").weight() instanceof CountingStorage);
        }
    }

    @Test
    void loadingAFolderHandsThePolicyEachProjectionBeforeReadingTheNext() throws Exception {
        TinyModels.write(dir, TinyModels.TEST_LLAMA, 3);
        ModelConfig c = ModelConfigReader.read(dir);
        float[] dense;
        try (CausalLm m = ModelLoader.load(dir)) {
            dense = logits(m);
        }
        NDManager manager = NDManager.newBaseManager("PyTorch");
        List<String> seen = new ArrayList<>();
        try (SafetensorsWeights source = SafetensorsWeights.open(dir, manager)) {
            List<String> order = projections(c);
            StoragePolicy recording = (module, w) -> {
                seen.add(module);
                for (String later : order.subList(order.indexOf(module) + 1, order.size())) {
                    assertTrue(source.contains(later + ".weight"), module + ": " + later + " is not read yet");
                }
                return new DenseWeight(w);
            };
            try (CausalLm m = CausalLm.build(c, manager, source, recording)) {
                assertEquals(projections(c), seen);
                assertTrue(source.untaken().isEmpty());
                assertArrayEquals(dense, logits(m));
            }
        }
    }

    @Test
    void aPolicyThatChangesTheShapeIsRefusedNamingTheTensor() throws Exception {
        StoragePolicy transposing = (module, w) -> new DenseWeight(w.transpose());
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                TensorMapWeights source = RandomWeights.source(LLAMA, manager, 1, 0.02, 0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CausalLm.build(LLAMA, manager, source, transposing));
            // q_proj is square here, so k_proj is the first whose shape changes
            assertTrue(e.getMessage().contains("'model.layers.0.self_attn.k_proj.weight' is stored as [32, 16]"),
                    e.getMessage());
        }
    }

    @Test
    void tensorsTheConfigDoesNotUseAreAnError() throws Exception {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            var tensors = new LinkedHashMap<>(RandomWeights.create(LLAMA, manager, 1, 0.02, 0));
            tensors.put("model.layers.9.mlp.up_proj.weight", manager.zeros(new ai.djl.ndarray.types.Shape(2, 2)));
            try (TensorMapWeights source = new TensorMapWeights(tensors)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> CausalLm.build(LLAMA, manager, source, StoragePolicy.DENSE));
                assertTrue(e.getMessage().contains("model.layers.9.mlp.up_proj.weight"), e.getMessage());
            }
        }
    }

    @Test
    void aFolderWithAWrongShapeFailsNamingTheFolderAndTheTensor() throws Exception {
        TinyModels.write(dir, TinyModels.TEST_LLAMA, 3);
        String config = java.nio.file.Files.readString(dir.resolve("config.json"));
        String smaller = config.replace("\"intermediate_size\" : 192", "\"intermediate_size\" : 96");
        assertTrue(!smaller.equals(config), config);
        java.nio.file.Files.writeString(dir.resolve("config.json"), smaller);
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> ModelLoader.load(dir));
        assertTrue(e.getMessage().startsWith(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'model.layers.0.mlp.gate_proj.weight' has shape [192, 64]"), e.getMessage());
    }
}

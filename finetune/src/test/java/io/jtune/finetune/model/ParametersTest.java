package io.jtune.finetune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.jtune.finetune.io.safetensors.ShardedSafetensors;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParametersTest {
    /** What transformers' {@code named_parameters()} lists for a Qwen2 config with tied embeddings. */
    private static List<String> qwen2TiedNames(int layers) {
        List<String> n = new ArrayList<>(List.of("model.embed_tokens.weight"));
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            for (String proj : List.of("q_proj", "k_proj", "v_proj")) {
                n.add(p + "self_attn." + proj + ".weight");
                n.add(p + "self_attn." + proj + ".bias");
            }
            n.add(p + "self_attn.o_proj.weight");
            n.add(p + "mlp.gate_proj.weight");
            n.add(p + "mlp.up_proj.weight");
            n.add(p + "mlp.down_proj.weight");
            n.add(p + "input_layernorm.weight");
            n.add(p + "post_attention_layernorm.weight");
        }
        n.add("model.norm.weight");
        return n;
    }

    @Test
    void parametersFollowHuggingFaceNamesAndOrderWithATiedHeadListedOnce() {
        ModelConfig c = RandomModels.config(Architecture.QWEN2, 2, true, null);
        try (CausalLm m = RandomModels.build(c, 4)) {
            List<Parameter> ps = m.parameters();
            assertEquals(qwen2TiedNames(2), ps.stream().map(Parameter::name).toList());
            Parameter embed = ps.get(0);
            assertArrayEquals(new long[] {61, 32}, embed.shape());
            assertEquals(List.of("lm_head.weight"), embed.tiedNames());
            Map<String, long[]> shapes = RandomWeights.shapes(c);
            long numel = 0;
            for (Parameter p : ps) {
                assertArrayEquals(shapes.get(p.name()), p.shape(), p.name());
                assertEquals("float32", p.storageKind(), p.name());
                assertEquals(p.numel() * 4, p.bytes(), p.name());
                assertTrue(p.trainable(), p.name() + ": everything trains by default, as in transformers");
                numel += p.numel();
            }
            assertEquals(c.parameterCount(), numel);
            assertEquals(numel * 4, m.weightBytes());
        }
    }

    @Test
    void anUntiedHeadComesLastUnderItsOwnName() {
        ModelConfig c = RandomModels.config(Architecture.LLAMA, 1, false, null);
        try (CausalLm m = RandomModels.build(c, 4)) {
            List<Parameter> ps = m.parameters();
            Parameter head = ps.get(ps.size() - 1);
            assertEquals("lm_head.weight", head.name());
            assertArrayEquals(new long[] {61, 32}, head.shape());
            assertEquals(List.of(), ps.get(0).tiedNames());
            assertEquals("model.layers.0.self_attn.k_proj.weight", ps.get(2).name());
            assertArrayEquals(new long[] {8, 32}, ps.get(2).shape(), "one key/value head of 8");
            assertEquals(Set.copyOf(RandomWeights.shapes(c).keySet()),
                    Set.copyOf(ps.stream().map(Parameter::name).toList()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa", "llama-tied-rope3", "qwen2", "mistral", "llama-headdim"})
    void theGoldenCheckpointsHoldExactlyTheListedParameters(String name) throws Exception {
        Path dir = Paths.get(ParametersTest.class.getResource("/golden/" + name + "/config.json").toURI()).getParent();
        Set<String> stored;
        try (ShardedSafetensors files = ShardedSafetensors.open(dir)) {
            stored = new HashSet<>(files.names());
        }
        try (CausalLm m = ModelLoader.load(dir)) {
            if (m.config().tieWordEmbeddings()) {
                stored.remove("lm_head.weight");
            }
            stored.removeIf(n -> n.endsWith("rotary_emb.inv_freq"));
            assertEquals(stored, Set.copyOf(m.parameters().stream().map(Parameter::name).toList()));
        }
    }

    @Test
    void aTrainerPicksWhatTrainsByNameOrPredicate() {
        try (CausalLm m = RandomModels.build(RandomModels.config(Architecture.QWEN2, 2, true, null), 4)) {
            m.freezeAll();
            assertTrue(m.parameters().stream().noneMatch(Parameter::trainable));
            assertEquals(2, m.setTrainable(n -> n.endsWith("norm.weight") && n.contains("layers.1"), true));
            m.setTrainable("lm_head.weight", true); // tied: the embedding it shares
            List<String> trainable = m.parameters().stream().filter(Parameter::trainable).map(Parameter::name).toList();
            assertEquals(List.of("model.embed_tokens.weight", "model.layers.1.input_layernorm.weight",
                    "model.layers.1.post_attention_layernorm.weight"), trainable.subList(0, 3));
            assertEquals(3, trainable.size());
            m.setTrainable("model.embed_tokens.weight", false);
            assertFalse(m.parameters().get(0).trainable());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.setTrainable("model.layers.0.q_proj.weight", true));
            assertTrue(e.getMessage().contains("no parameter named 'model.layers.0.q_proj.weight'"), e.getMessage());
        }
    }

    @Test
    void sizesComeFromTheStorageAndQuantizedStorageCannotTrain() throws Exception {
        ModelConfig c = RandomModels.config(Architecture.LLAMA, 2, false, null);
        StoragePolicy halfABytePerValue = (module, w) -> module.contains("mlp")
                ? new CountingStorage(w, "nf4", w.size() / 2) : new DenseWeight(w);
        NDManager manager = NDManager.newBaseManager("PyTorch");
        try (TensorMapWeights source = RandomWeights.source(c, manager, 4, 0.02, 0);
                CausalLm m = CausalLm.build(c, manager, source, halfABytePerValue)) {
            long expected = 0;
            for (Parameter p : m.parameters()) {
                boolean mlp = p.name().contains("mlp");
                assertEquals(mlp ? "nf4" : "float32", p.storageKind(), p.name());
                assertEquals(mlp ? p.numel() / 2 : p.numel() * 4, p.bytes(), p.name());
                assertEquals(!mlp, p.trainable(), p.name());
                expected += p.bytes();
            }
            assertEquals(expected, m.weightBytes());
            long mlpValues = 3L * c.hiddenSize() * c.intermediateSize() * c.numLayers();
            assertEquals(c.parameterCount() * 4 - mlpValues * 4 + mlpValues / 2, m.weightBytes());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.setTrainable(n -> n.contains("layers.0."), true));
            assertTrue(e.getMessage().contains("model.layers.0.mlp.gate_proj.weight is held as nf4"), e.getMessage());
            m.freezeAll();
            assertTrue(m.parameters().stream().noneMatch(Parameter::trainable));
        }
    }
}

package io.jtune.finetune.lora;

import static io.jtune.finetune.lora.LoraFixtures.maxDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.Linear;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attaching, switching, merging and dropout on the golden models. */
class LoraModelTest {
    private static final int[] IDS = {37, 65, 65, 25, 33, 95, 68, 17, 46};

    private static LoraConfig config(String targets) {
        return LoraConfig.defaults().withTargets(TargetModules.parse(targets)).withDropout(0);
    }

    @Test
    void targetsByNameRegexAndAllLinearPickTheLayersPeftPicks() throws Exception {
        try (CausalLm model = LoraFixtures.model("llama-gqa")) {
            try (LoraModel lora = LoraModel.attach(model, config("q_proj,v_proj"), 1)) {
                assertEquals(List.of("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
                        "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"),
                        List.copyOf(lora.layers().keySet()));
            }
            try (LoraModel lora = LoraModel.attach(model, config(".*\\.1\\.mlp\\.(up|down)_proj"), 1)) {
                assertEquals(List.of("model.layers.1.mlp.up_proj", "model.layers.1.mlp.down_proj"),
                        List.copyOf(lora.layers().keySet()));
            }
            try (LoraModel lora = LoraModel.attach(model, config("all-linear"), 1)) {
                assertEquals(14, lora.layers().size(), "7 projections x 2 layers");
                assertFalse(lora.layers().containsKey("lm_head"), "all-linear never adapts the LM head");
            }
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                    () -> LoraModel.attach(model, config("query"), 1));
            assertTrue(none.getMessage().contains("match no linear layer") && none.getMessage().contains("q_proj"),
                    none.getMessage());
        }
    }

    @Test
    void theParameterLineMatchesPeftsForTheSameConfig() throws Exception {
        // the numbers PEFT 0.21 printed for these configs (peft-qv and peft-all-rslora golden.json)
        try (CausalLm model = LoraFixtures.model("llama-gqa")) {
            try (LoraModel lora = LoraModel.attach(model, config("q_proj,v_proj").withRank(4, 8), 1)) {
                assertEquals("trainable params: 1,792 || all params: 88,256 || trainable%: 2.0305",
                        lora.count().toString());
            }
            LoraConfig all = config("all-linear").withRank(2, 4).withRslora(true).withModulesToSave(List.of("lm_head"));
            try (LoraModel lora = LoraModel.attach(model, all, 1)) {
                assertEquals("trainable params: 10,304 || all params: 96,768 || trainable%: 10.6481",
                        lora.count().toString());
                assertEquals(4 / Math.sqrt(2), lora.layers().values().iterator().next().scale(), 1e-6);
            }
        }
    }

    @Test
    void aNewKaimingAdapterChangesNothingUntilTrainedAndAttachingFreezesTheBase() throws Exception {
        try (CausalLm model = LoraFixtures.model("llama-gqa")) {
            float[] base = LoraFixtures.logits(model, IDS);
            try (LoraModel lora = LoraModel.attach(model, config("all-linear"), 3)) {
                assertArrayEquals(base, LoraFixtures.logits(model, IDS), "B starts at zero");
                float[] a = lora.layers().get("model.layers.0.self_attn.q_proj").a().toFloatArray();
                double bound = 1 / Math.sqrt(64);
                for (float x : a) {
                    assertTrue(Math.abs(x) <= bound, "Kaiming-uniform A within 1/sqrt(in): " + x);
                }
                assertTrue(model.parameters().stream().noneMatch(p -> p.trainable()), "the base is frozen");
            }
            assertArrayEquals(base, LoraFixtures.logits(model, IDS), "closing detaches every adapter");
            assertTrue(model.parameters().stream().allMatch(p -> p.trainable()), "and the base is trainable again");
        }
    }

    @Test
    void switchingOffGivesTheBaseModelExactlyAndOnAgainTheAdaptedOne() throws Exception {
        try (CausalLm model = LoraFixtures.model("llama-gqa")) {
            float[] base = LoraFixtures.logits(model, IDS);
            LoraConfig c = config("all-linear").withInit(LoraInit.RANDOM).withModulesToSave(List.of("lm_head",
                    "embed_tokens"));
            try (LoraModel lora = LoraModel.attach(model, c, 4)) {
                lora.trainable().get("base_model.model.lm_head.weight").muli(model.manager().create(1.5f));
                lora.trainable().get("base_model.model.model.embed_tokens.weight").muli(model.manager().create(0.5f));
                float[] tuned = LoraFixtures.logits(model, IDS);
                assertTrue(maxDiff(base, tuned) > 0.1);
                try (AutoCloseable off = lora.disabled()) {
                    assertArrayEquals(base, LoraFixtures.logits(model, IDS), "off: adapters and copies");
                }
                assertArrayEquals(tuned, LoraFixtures.logits(model, IDS), "on again");
            }
            assertArrayEquals(base, LoraFixtures.logits(model, IDS), "closed: the originals are back");
        }
    }

    @Test
    void mergeThenUnmergeRestoresTheBaseWeightsWithin1e6() throws Exception {
        try (CausalLm model = LoraFixtures.model("llama-gqa")) {
            Map<String, float[]> before = new HashMap<>();
            try (NDManager s = model.manager().newSubManager()) {
                for (Linear l : model.linears().values()) {
                    before.put(l.name(), l.weight().dense(s).toFloatArray());
                }
            }
            try (LoraModel lora = LoraModel.attach(model, config("all-linear").withInit(LoraInit.RANDOM), 5)) {
                float[] adapted = LoraFixtures.logits(model, IDS);
                lora.merge();
                assertTrue(lora.merged());
                assertTrue(maxDiff(adapted, LoraFixtures.logits(model, IDS)) < 1e-4, "merged = adapter on");
                assertThrows(IllegalStateException.class, () -> lora.setEnabled(false));
                lora.unmerge();
                assertTrue(maxDiff(adapted, LoraFixtures.logits(model, IDS)) < 1e-4, "unmerged = adapter on");
            }
            try (NDManager s = model.manager().newSubManager()) {
                for (Linear l : model.linears().values()) {
                    double d = maxDiff(before.get(l.name()), l.weight().dense(s).toFloatArray());
                    assertTrue(d <= 1e-6, l.name() + ": " + d);
                }
            }
        }
    }

    @Test
    void mergeAndUnloadLeavesAPlainModelWithTheAdaptedOutputs() throws Exception {
        try (CausalLm model = LoraFixtures.model("llama-gqa")) {
            LoraModel lora = LoraModel.attach(model, config("q_proj,v_proj").withInit(LoraInit.RANDOM), 6);
            float[] adapted = LoraFixtures.logits(model, IDS);
            CausalLm plain = lora.mergeAndUnload();
            assertTrue(plain.linears().values().stream().allMatch(l -> l.adapter() == null));
            assertTrue(maxDiff(adapted, LoraFixtures.logits(plain, IDS)) < 1e-4);
            assertThrows(IllegalStateException.class, () -> lora.save(java.nio.file.Path.of("x")));
        }
    }

    @Test
    void dropoutActsInTrainingOnly() throws Exception {
        try (CausalLm model = LoraFixtures.model("llama-gqa")) {
            float[] noDropout;
            try (LoraModel lora = LoraModel.attach(model, config("all-linear").withInit(LoraInit.RANDOM), 7)) {
                noDropout = LoraFixtures.logits(model, IDS);
            }
            LoraConfig c = config("all-linear").withInit(LoraInit.RANDOM).withDropout(0.5);
            try (LoraModel lora = LoraModel.attach(model, c, 7)) {
                assertArrayEquals(noDropout, LoraFixtures.logits(model, IDS), "evaluation: no dropout");
                lora.training(true);
                assertTrue(maxDiff(noDropout, LoraFixtures.logits(model, IDS)) > 1e-3, "training: dropout");
                lora.training(false);
                assertArrayEquals(noDropout, LoraFixtures.logits(model, IDS));
            }
        }
    }

    @Test
    void twoAdapterSetsOnOneLayerAreRefusedAndTiedHeadsCannotBeSaved() throws Exception {
        try (CausalLm model = LoraFixtures.model("llama-gqa");
                LoraModel first = LoraModel.attach(model, config("q_proj"), 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LoraModel.attach(model, config("q_proj,k_proj"), 2));
            assertTrue(e.getMessage().contains("already has an adapter"), e.getMessage());
            assertEquals(2, first.layers().size());
        }
        try (CausalLm tied = LoraFixtures.model("llama-tied-rope3")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LoraModel.attach(tied, config("q_proj").withModulesToSave(List.of("lm_head")), 1));
            assertTrue(e.getMessage().contains("ties lm_head"), e.getMessage());
        }
    }

    @Test
    void configRefusesWhatPeftWouldNotRun() {
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.defaults().withRank(0, 16));
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.defaults().withDropout(1));
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.defaults().withModulesToSave(List.of("q_proj")));
        assertThrows(IllegalArgumentException.class, () -> TargetModules.parse("q_proj(["));
        assertThrows(IllegalArgumentException.class, () -> TargetModules.parse(" "));
        assertEquals(2.0, LoraConfig.defaults().scale(), 1e-12, "16 / 8");
    }
}

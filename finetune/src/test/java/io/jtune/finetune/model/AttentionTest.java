package io.jtune.finetune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Attention's shape checks run with or without {@code -ea} and say what disagrees. */
class AttentionTest {
    private static final ModelConfig C = RandomModels.config(Architecture.LLAMA, 2, false, null); // E 32, H 4, K 2, D 8

    @Test
    void projectionsThatDoNotFitTheConfigAreRefusedNamingTheProjection() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Linear q = new Linear("q", new DenseWeight(m.zeros(new Shape(32, 32))), null);
            Linear kv = new Linear("k", new DenseWeight(m.zeros(new Shape(16, 32))), null);
            Linear wrongV = new Linear("model.layers.0.self_attn.v_proj", new DenseWeight(m.zeros(new Shape(32, 32))), null);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Attention(C, q, kv, wrongV, q, m.create(1f)));
            assertEquals("model.layers.0.self_attn.v_proj: attention needs [out, in] = [16, 32] from the config,"
                    + " got [32, 32]", e.getMessage());
        }
    }

    @Test
    void anInputOfTheWrongWidthIsRefused() {
        try (CausalLm model = RandomModels.build(C, 1); NDManager scope = model.manager().newSubManager()) {
            Attention a = model.layers().get(1).attention();
            NDArray x = scope.zeros(new Shape(1, 3, 16));
            NDArray mask = scope.zeros(new Shape(1, 1, 1, 3, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> a.forward(x, null, null, mask, null, 1));
            assertEquals("layer 1 attention: input must be [B, T, E] with E = 32, got (1, 3, 16)", e.getMessage());
        }
    }

    @Test
    void aMaskThatDoesNotCoverTheKeysIsRefused() {
        try (CausalLm model = RandomModels.build(C, 1); NDManager scope = model.manager().newSubManager();
                KvCache cache = model.newCache(2, 8)) {
            Attention a = model.layers().get(0).attention();
            NDArray x = scope.zeros(new Shape(2, 3, 32));
            IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                    () -> a.forward(x, null, null, scope.zeros(new Shape(2, 1, 1, 2, 3)), null, 0));
            assertEquals("layer 0 attention: mask must be [B, 1, 1, T, S] with B = 2 (or 1) and T = 3, got (2, 1, 1, 2, 3)",
                    rows.getMessage());
            IllegalArgumentException keys = assertThrows(IllegalArgumentException.class,
                    () -> a.forward(x, null, null, scope.zeros(new Shape(2, 1, 1, 3, 5)), cache, 0));
            assertEquals("layer 0 attention: the mask covers S = 5 key positions but there are 3 (0 cached + 3 new)",
                    keys.getMessage());
        }
    }
}

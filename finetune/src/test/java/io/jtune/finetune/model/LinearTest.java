package io.jtune.finetune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class LinearTest {
    @Test
    void replacingTheWeightChangesTheOutputAndHandsBackTheOldStorage() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            DenseWeight identity = new DenseWeight(m.eye(2));
            Linear l = new Linear("proj", identity, m.create(new float[] {1, 1}));
            NDArray x = m.create(new float[] {2, 3}, new Shape(1, 2));
            assertArrayEquals(new float[] {3, 4}, l.forward(x).toFloatArray());
            WeightStorage old = l.replaceWeight(new DenseWeight(m.eye(2).mul(m.create(10f))));
            assertSame(identity, old);
            assertArrayEquals(new float[] {21, 31}, l.forward(x).toFloatArray());
            l.replaceWeight(old).close();
            assertArrayEquals(new float[] {3, 4}, l.forward(x).toFloatArray(), "putting the old one back restores it");
        }
    }

    @Test
    void aWeightOfAnotherShapeIsRefusedNamingTheLayer() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Linear l = new Linear("model.layers.0.mlp.up_proj", new DenseWeight(m.zeros(new Shape(3, 2))), null);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> l.replaceWeight(new DenseWeight(m.zeros(new Shape(2, 3)))));
            assertEquals("model.layers.0.mlp.up_proj: the new weight is [2, 3] but this layer's is [out, in] = [3, 2]",
                    e.getMessage());
            assertArrayEquals(new long[] {3, 2}, l.weight().shape());
        }
    }

    @Test
    void aTiedHeadRefusesANewWeightAndKeepsSharingTheEmbedding() {
        try (CausalLm model = RandomModels.build(RandomModels.config(Architecture.QWEN2, 2, true, null), 3)) {
            Linear head = model.lmHead();
            assertEquals("model.embed_tokens.weight", head.tiedTo().orElseThrow());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> head.replaceWeight(new DenseWeight(model.embedding().duplicate())));
            assertTrue(e.getMessage().startsWith("lm_head: its weight is model.embed_tokens.weight"), e.getMessage());
            assertSame(model.embedding(), head.weight().dense(model.manager()));
        }
    }

    @Test
    void replacingAModelProjectionShowsInItsParameters() {
        ModelConfig c = RandomModels.config(Architecture.LLAMA, 2, false, null);
        try (CausalLm model = RandomModels.build(c, 3)) {
            Linear q = model.linears().get("model.layers.0.self_attn.q_proj");
            NDArray w = q.weight().dense(model.manager());
            q.replaceWeight(new CountingStorage(w, "nf4", w.size() / 2)); // the old storage wraps w too: keep it open
            Parameter p = model.parameters().get(1);
            assertEquals("model.layers.0.self_attn.q_proj.weight", p.name());
            assertEquals("nf4", p.storageKind());
            assertEquals(w.size() / 2, p.bytes());
        }
    }
}

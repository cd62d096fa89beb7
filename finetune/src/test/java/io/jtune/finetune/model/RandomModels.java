package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Tiny models with seeded random weights, built in memory for tests. */
final class RandomModels {
    private RandomModels() {}

    static ModelConfig config(Architecture arch, int kvHeads, boolean tied, RopeScaling scaling) {
        return new ModelConfig(arch, 61, 32, 48, 2, 4, kvHeads, 8, 1e-5, arch == Architecture.QWEN2 ? 1e6 : 10000,
                scaling, tied, 2048, "float32", 1, new int[] {2});
    }

    static CausalLm build(ModelConfig c, long seed) {
        NDManager manager = NDManager.newBaseManager("PyTorch");
        Random r = new Random(seed);
        Map<String, NDArray> t = new LinkedHashMap<>();
        int e = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        t.put("model.embed_tokens.weight", normal(manager, r, 0.3, c.vocabSize(), e));
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            t.put(p + "self_attn.q_proj.weight", normal(manager, r, 0.2, q, e));
            t.put(p + "self_attn.k_proj.weight", normal(manager, r, 0.2, kv, e));
            t.put(p + "self_attn.v_proj.weight", normal(manager, r, 0.2, kv, e));
            t.put(p + "self_attn.o_proj.weight", normal(manager, r, 0.2, e, q));
            if (c.architecture().qkvBias()) {
                t.put(p + "self_attn.q_proj.bias", normal(manager, r, 0.1, q));
                t.put(p + "self_attn.k_proj.bias", normal(manager, r, 0.1, kv));
                t.put(p + "self_attn.v_proj.bias", normal(manager, r, 0.1, kv));
            }
            t.put(p + "mlp.gate_proj.weight", normal(manager, r, 0.2, c.intermediateSize(), e));
            t.put(p + "mlp.up_proj.weight", normal(manager, r, 0.2, c.intermediateSize(), e));
            t.put(p + "mlp.down_proj.weight", normal(manager, r, 0.2, e, c.intermediateSize()));
            t.put(p + "input_layernorm.weight", ones(manager, r, e));
            t.put(p + "post_attention_layernorm.weight", ones(manager, r, e));
        }
        t.put("model.norm.weight", ones(manager, r, e));
        if (!c.tieWordEmbeddings()) {
            t.put("lm_head.weight", normal(manager, r, 0.3, c.vocabSize(), e));
        }
        return CausalLm.fromTensors(c, manager, t);
    }

    private static NDArray normal(NDManager m, Random r, double std, long... shape) {
        float[] v = new float[(int) new Shape(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return m.create(v, new Shape(shape));
    }

    private static NDArray ones(NDManager m, Random r, long n) {
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (1 + 0.1 * r.nextGaussian());
        }
        return m.create(v, new Shape(n));
    }
}

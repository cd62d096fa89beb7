package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random weights for a config, under Hugging Face tensor names: projections and
 * embeddings ~ N(0, std²) (transformers' initializer_range is 0.02), norm weights 1 + N(0, normJitter²).
 * The same seed always gives the same weights (java.util.Random), so tiny test models and
 * benchmark models are reproducible without storing them.
 */
public final class RandomWeights {
    private RandomWeights() {}

    /** Tensors in HF layout, created in {@code manager}. */
    public static Map<String, NDArray> create(ModelConfig c, NDManager manager, long seed, double std, double normJitter) {
        Map<String, float[]> values = values(c, seed, std, normJitter);
        Map<String, long[]> shapes = shapes(c);
        Map<String, NDArray> out = new LinkedHashMap<>();
        values.forEach((name, v) -> out.put(name, manager.create(v, new Shape(shapes.get(name)))));
        return out;
    }

    /** The same tensors as a source to {@link CausalLm#build} a model from. */
    public static TensorMapWeights source(ModelConfig c, NDManager manager, long seed, double std, double normJitter) {
        return new TensorMapWeights(create(c, manager, seed, std, normJitter));
    }

    /** The same weights as plain arrays (for writing a model folder), in name order. */
    public static Map<String, float[]> values(ModelConfig c, long seed, double std, double normJitter) {
        Random r = new Random(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        shapes(c).forEach((name, shape) -> {
            boolean norm = name.endsWith("norm.weight");
            boolean bias = name.endsWith(".bias");
            float[] v = new float[(int) new Shape(shape).size()];
            for (int i = 0; i < v.length; i++) {
                double g = r.nextGaussian();
                v[i] = (float) (norm ? 1 + normJitter * g : bias ? std * g : std * g);
            }
            out.put(name, v);
        });
        return out;
    }

    /** Every tensor a config needs, HF name to [out, in] (or [n]) shape, in checkpoint order. */
    public static Map<String, long[]> shapes(ModelConfig c) {
        Map<String, long[]> s = new LinkedHashMap<>();
        long e = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long f = c.intermediateSize();
        s.put("model.embed_tokens.weight", new long[] {c.vocabSize(), e});
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            s.put(p + "self_attn.q_proj.weight", new long[] {q, e});
            s.put(p + "self_attn.k_proj.weight", new long[] {kv, e});
            s.put(p + "self_attn.v_proj.weight", new long[] {kv, e});
            if (c.architecture().qkvBias()) {
                s.put(p + "self_attn.q_proj.bias", new long[] {q});
                s.put(p + "self_attn.k_proj.bias", new long[] {kv});
                s.put(p + "self_attn.v_proj.bias", new long[] {kv});
            }
            s.put(p + "self_attn.o_proj.weight", new long[] {e, q});
            s.put(p + "mlp.gate_proj.weight", new long[] {f, e});
            s.put(p + "mlp.up_proj.weight", new long[] {f, e});
            s.put(p + "mlp.down_proj.weight", new long[] {e, f});
            s.put(p + "input_layernorm.weight", new long[] {e});
            s.put(p + "post_attention_layernorm.weight", new long[] {e});
        }
        s.put("model.norm.weight", new long[] {e});
        if (!c.tieWordEmbeddings()) {
            s.put("lm_head.weight", new long[] {c.vocabSize(), e});
        }
        return s;
    }
}

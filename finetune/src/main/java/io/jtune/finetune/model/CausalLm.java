package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Llama-family causal language model on DJL NDArrays: embedding, N decoder layers, final
 * RMSNorm, LM head (tied to the embedding or not). Owns its manager and every weight in it;
 * each forward step's temporaries belong to the caller's scope, so nothing grows between steps.
 */
public final class CausalLm implements AutoCloseable {
    private final ModelConfig config;
    private final NDManager manager;
    private final NDArray embedding;            // [V, E]
    private final List<DecoderLayer> layers;
    private final RmsNorm norm;
    private final Linear lmHead;
    private final RotaryEmbedding rotary;
    private final Map<String, Linear> linears;

    /**
     * Builds the model from Hugging Face tensor names to arrays already in {@code manager} (f32),
     * which the model then owns. Missing tensors or wrong shapes are errors naming the tensor.
     */
    public static CausalLm fromTensors(ModelConfig config, NDManager manager, Map<String, NDArray> tensors) {
        return new CausalLm(config, manager, new TensorTable(config, tensors));
    }

    private CausalLm(ModelConfig config, NDManager manager, TensorTable t) {
        this.config = config;
        this.manager = manager;
        this.linears = new LinkedHashMap<>();
        this.embedding = t.take("model.embed_tokens.weight", config.vocabSize(), config.hiddenSize());
        NDArray eps = manager.create((float) config.rmsNormEps());
        NDArray scale = manager.create((float) (1.0 / Math.sqrt(config.headDim())));
        int e = config.hiddenSize();
        int qOut = config.numHeads() * config.headDim();
        int kvOut = config.numKvHeads() * config.headDim();
        boolean bias = config.architecture().qkvBias();
        List<DecoderLayer> list = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            Attention attn = new Attention(config,
                    linear(t, p + "self_attn.q_proj", qOut, e, bias),
                    linear(t, p + "self_attn.k_proj", kvOut, e, bias),
                    linear(t, p + "self_attn.v_proj", kvOut, e, bias),
                    linear(t, p + "self_attn.o_proj", e, qOut, false),
                    scale);
            Mlp mlp = new Mlp(
                    linear(t, p + "mlp.gate_proj", config.intermediateSize(), e, false),
                    linear(t, p + "mlp.up_proj", config.intermediateSize(), e, false),
                    linear(t, p + "mlp.down_proj", e, config.intermediateSize(), false));
            list.add(new DecoderLayer(i,
                    new RmsNorm(t.take(p + "input_layernorm.weight", e), eps),
                    attn,
                    new RmsNorm(t.take(p + "post_attention_layernorm.weight", e), eps),
                    mlp));
        }
        this.layers = Collections.unmodifiableList(list);
        this.norm = new RmsNorm(t.take("model.norm.weight", e), eps);
        if (config.tieWordEmbeddings()) {
            t.drop("lm_head.weight"); // some tied checkpoints still store a copy
            this.lmHead = new Linear("lm_head", new DenseWeight(embedding), null);
        } else {
            this.lmHead = linear(t, "lm_head", config.vocabSize(), e, false);
        }
        t.checkAllUsed();
        this.rotary = new RotaryEmbedding(manager, config);
    }

    private Linear linear(TensorTable t, String name, int out, int in, boolean bias) {
        Linear l = new Linear(name, new DenseWeight(t.take(name + ".weight", out, in)),
                bias ? t.take(name + ".bias", out) : null);
        linears.put(name, l);
        return l;
    }

    public ModelConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    public List<DecoderLayer> layers() {
        return layers;
    }

    /** Every projection by its Hugging Face module name (LoRA targets are chosen from these). */
    public Map<String, Linear> linears() {
        return Collections.unmodifiableMap(linears);
    }

    public NDArray embedding() {
        return embedding;
    }

    /** Logits [B, T, V] for every new position, in {@code scope}. */
    public NDArray logits(NDManager scope, ForwardInput in, KvCache cache) {
        return lmHead.forward(hidden(scope, in, cache));
    }

    /** Logits [B, V] of each row's last position only (what generation needs), in {@code scope}. */
    public NDArray lastLogits(NDManager scope, ForwardInput in, KvCache cache) {
        NDArray h = hidden(scope, in, cache);
        long t = h.getShape().get(1);
        return lmHead.forward(h.get(":, {}, :", t - 1)); // [B, V]
    }

    /** Final hidden states [B, T, E] after the last norm. */
    public NDArray hidden(NDManager scope, ForwardInput in, KvCache cache) {
        int b = in.batch();
        int t = in.length();
        int past = cache == null ? 0 : cache.length();
        NDArray ids = scope.create(flatten(in.ids()), new Shape(b, t));
        NDArray positions = scope.create(flatten(in.positions()), new Shape(b, t));
        NDArray mask = AttentionMask.build(scope, in.keyMask(), past, t);
        NDArray x = Scopes.own(Embedding.embedding(ids, embedding, SparseFormat.DENSE).singletonOrThrow(), scope); // [B, T, E]
        NDList rope = rotary.tables(positions);
        for (DecoderLayer layer : layers) {
            x = layer.forward(x, rotary, rope, mask, cache);
        }
        if (cache != null) {
            cache.advance(t);
        }
        return norm.forward(x);
    }

    private static long[] flatten(long[][] rows) {
        long[] out = new long[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[0].length, rows[0].length);
        }
        return out;
    }

    /** A new KV cache for {@code batch} sequences of up to {@code capacity} positions. */
    public KvCache newCache(int batch, int capacity) {
        return new KvCache(manager, config, batch, capacity);
    }

    /** Bytes held by the weights. */
    public long weightBytes() {
        long bytes = embedding.size() * 4;
        for (Linear l : linears.values()) {
            bytes += l.weight().bytes() + (l.bias() == null ? 0 : l.bias().size() * 4);
        }
        return bytes + (long) layers.size() * 2 * config.hiddenSize() * 4 + config.hiddenSize() * 4L;
    }

    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "CausalLm " + config + ", " + String.format("%,d", config.parameterCount()) + " parameters";
    }

    /** The named tensors being turned into a model: each taken once, shapes checked, leftovers refused. */
    private static final class TensorTable {
        private final Map<String, NDArray> left;

        TensorTable(ModelConfig config, Map<String, NDArray> tensors) {
            this.left = new LinkedHashMap<>(tensors);
        }

        NDArray take(String name, long... shape) {
            NDArray a = left.remove(name);
            if (a == null) {
                throw new IllegalArgumentException("tensor '" + name + "' is missing from the weights");
            }
            if (!a.getShape().equals(new Shape(shape))) {
                throw new IllegalArgumentException("tensor '" + name + "' has shape " + a.getShape()
                        + " but the config needs " + new Shape(shape));
            }
            if (a.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("tensor '" + name + "' is " + a.getDataType() + "; load weights as f32");
            }
            return a;
        }

        void drop(String name) {
            NDArray a = left.remove(name);
            if (a != null) {
                a.close();
            }
        }

        void checkAllUsed() {
            left.keySet().removeIf(n -> n.endsWith("rotary_emb.inv_freq")); // a buffer old checkpoints saved
            if (!left.isEmpty()) {
                throw new IllegalArgumentException("weights hold tensors this config does not use: "
                        + String.join(", ", left.keySet().stream().limit(5).toList())
                        + (left.size() > 5 ? " and " + (left.size() - 5) + " more" : ""));
            }
        }
    }
}

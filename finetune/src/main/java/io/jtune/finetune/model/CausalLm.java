package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A Llama-family causal language model on DJL NDArrays: embedding, N decoder layers, final
 * RMSNorm, LM head (tied to the embedding or not). Owns its manager and every weight in it;
 * each forward step's temporaries belong to the caller's scope, so nothing grows between steps.
 *
 * <p>Built from a {@link WeightSource} that hands over one tensor at a time, with a
 * {@link StoragePolicy} choosing how each projection keeps its weight. {@link #parameters()} lists
 * what it holds under Hugging Face names, and records which parameters a trainer should update.
 */
public final class CausalLm implements AutoCloseable {
    private static final String EMBED = "model.embed_tokens.weight";
    private static final String LM_HEAD = "lm_head";

    private final ModelConfig config;
    private final NDManager manager;
    private volatile NDArray embedding;         // [V, E]
    private volatile double neftuneAlpha;
    private final List<DecoderLayer> layers;
    private final RmsNorm norm;
    private final Linear lmHead;
    private final RotaryEmbedding rotary;
    private final Map<String, Linear> linears;
    private final ParameterTable parameters;

    /**
     * Builds the model from Hugging Face tensor names to f32 arrays already in {@code manager}, which
     * the model then owns, every projection dense. Missing tensors or wrong shapes are errors naming
     * the tensor.
     */
    public static CausalLm fromTensors(ModelConfig config, NDManager manager, Map<String, NDArray> tensors) {
        try (TensorMapWeights weights = new TensorMapWeights(tensors)) {
            return build(config, manager, weights, StoragePolicy.DENSE);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an in-memory map reads no files
        }
    }

    /**
     * Builds the model, taking each tensor from {@code source} in Hugging Face's order, the embedding,
     * norms and biases as f32 arrays and each projection through {@code source.projection} and
     * {@code policy}. Everything taken lives in {@code manager}, which the model owns; on failure
     * the caller closes {@code manager} (and {@code source}, which this does not close).
     *
     * @throws IllegalArgumentException for a missing tensor, a wrong shape or type, or a tensor the
     *     config does not use, naming the tensor
     */
    public static CausalLm build(ModelConfig config, NDManager manager, WeightSource source, StoragePolicy policy)
            throws IOException {
        return new CausalLm(config, manager, source, policy);
    }

    private CausalLm(ModelConfig config, NDManager manager, WeightSource src, StoragePolicy policy) throws IOException {
        this.config = config;
        this.manager = manager;
        this.linears = new LinkedHashMap<>();
        this.embedding = take(src, EMBED, config.vocabSize(), config.hiddenSize());
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
                    linear(src, policy, p + "self_attn.q_proj", qOut, e, bias),
                    linear(src, policy, p + "self_attn.k_proj", kvOut, e, bias),
                    linear(src, policy, p + "self_attn.v_proj", kvOut, e, bias),
                    linear(src, policy, p + "self_attn.o_proj", e, qOut, false),
                    scale);
            Mlp mlp = new Mlp(
                    linear(src, policy, p + "mlp.gate_proj", config.intermediateSize(), e, false),
                    linear(src, policy, p + "mlp.up_proj", config.intermediateSize(), e, false),
                    linear(src, policy, p + "mlp.down_proj", e, config.intermediateSize(), false));
            list.add(new DecoderLayer(i,
                    new RmsNorm(take(src, p + "input_layernorm.weight", e), eps),
                    attn,
                    new RmsNorm(take(src, p + "post_attention_layernorm.weight", e), eps),
                    mlp));
        }
        this.layers = Collections.unmodifiableList(list);
        this.norm = new RmsNorm(take(src, "model.norm.weight", e), eps);
        if (config.tieWordEmbeddings()) {
            src.skip(LM_HEAD + ".weight"); // some tied checkpoints still store a copy
            this.lmHead = Linear.tied(LM_HEAD, new DenseWeight(embedding), EMBED);
        } else {
            this.lmHead = linear(src, policy, LM_HEAD, config.vocabSize(), e, false);
        }
        checkAllUsed(src);
        this.rotary = new RotaryEmbedding(manager, config);
        this.parameters = new ParameterTable(() -> embedding, config.tieWordEmbeddings(), layers, norm, lmHead);
    }

    private static NDArray take(WeightSource src, String name, long... shape) throws IOException {
        NDArray a = src.take(name, shape);
        if (!a.getShape().equals(new Shape(shape))) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + a.getShape()
                    + " but the config needs " + new Shape(shape));
        }
        if (a.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + a.getDataType() + "; load weights as f32");
        }
        return a;
    }

    private Linear linear(WeightSource src, StoragePolicy policy, String name, int out, int in, boolean bias)
            throws IOException {
        long[] shape = {out, in};
        WeightStorage w = src.projection(name, shape, policy);
        if (!Arrays.equals(w.shape(), shape)) {
            throw new IllegalArgumentException("tensor '" + name + ".weight' is stored as " + Arrays.toString(w.shape())
                    + " but the config needs " + Arrays.toString(shape));
        }
        Linear l = new Linear(name, w, bias ? take(src, name + ".bias", out) : null);
        linears.put(name, l);
        return l;
    }

    private static void checkAllUsed(WeightSource src) {
        List<String> left = src.untaken().stream()
                .filter(n -> !n.endsWith("rotary_emb.inv_freq")) // a buffer old checkpoints saved
                .toList();
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("weights hold tensors this config does not use: "
                    + String.join(", ", left.stream().limit(5).toList())
                    + (left.size() > 5 ? " and " + (left.size() - 5) + " more" : ""));
        }
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

    /**
     * Every projection by its Hugging Face module name (LoRA targets are chosen from these), the LM
     * head included unless it is tied to the embedding.
     */
    public Map<String, Linear> linears() {
        return Collections.unmodifiableMap(linears);
    }

    public NDArray embedding() {
        return embedding;
    }

    /**
     * NEFTune's alpha: while above 0, every forward adds uniform noise of magnitude
     * alpha/sqrt(T·E) to the input embeddings (a trainer turns it on for its steps only, as TRL's
     * {@code neftune_noise_alpha} does). 0 turns it off.
     */
    public void setNeftuneAlpha(double alpha) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("NEFTune alpha must be a finite number >= 0, got " + alpha);
        }
        this.neftuneAlpha = alpha;
    }

    /**
     * Replaces the embedding matrix (same [V, E] shape) and returns the old one, which the caller
     * now owns: a copy trained in full ({@code modules_to_save = embed_tokens}) goes in this way and
     * the original comes back when the copy is switched off.
     *
     * @throws IllegalStateException for a model with tied embeddings, whose LM head multiplies by
     *     the same matrix (replacing it for the input alone would silently untie the two)
     * @throws IllegalArgumentException for another shape or type
     */
    public NDArray replaceEmbedding(NDArray replacement) {
        if (config.tieWordEmbeddings()) {
            throw new IllegalStateException(EMBED + " is tied to " + LM_HEAD + ".weight in this model and cannot be"
                    + " replaced for the input alone");
        }
        if (!replacement.getShape().equals(embedding.getShape()) || replacement.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(EMBED + " is " + embedding.getShape() + " float32; the replacement is "
                    + replacement.getShape() + " " + replacement.getDataType());
        }
        NDArray old = embedding;
        embedding = replacement;
        return old;
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

    /**
     * Final hidden states [B, T, E] after the last norm.
     *
     * @throws IllegalArgumentException for an id outside the vocabulary, a position beyond
     *     {@code max_position_embeddings} or more positions than the cache holds, before any work
     */
    public NDArray hidden(NDManager scope, ForwardInput in, KvCache cache) {
        TokenLimits.checkStep(config, in, cache);
        int b = in.batch();
        int t = in.length();
        int past = cache == null ? 0 : cache.length();
        NDArray ids = scope.create(flatten(in.ids()), new Shape(b, t));
        NDArray positions = scope.create(flatten(in.positions()), new Shape(b, t));
        NDArray mask = AttentionMask.build(scope, in.keyMask(), in.segments(), past, t);
        NDArray x = embed(scope, ids, t); // [B, T, E]
        NDList rope = rotary.tables(positions);
        for (DecoderLayer layer : layers) {
            x = layer.forward(x, rotary, rope, mask, cache);
        }
        if (cache != null) {
            cache.advance(t);
        }
        return norm.forward(x);
    }

    /** The input embeddings [B, T, E] of ids [B, T] in {@code scope}, with NEFTune's noise when it is on. */
    NDArray embed(NDManager scope, NDArray ids, int t) {
        NDArray x = Scopes.own(Embedding.embedding(ids, embedding, SparseFormat.DENSE).singletonOrThrow(), scope);
        double noise = neftuneAlpha;
        if (noise > 0) {
            // NEFTune (Jain et al. 2023), as transformers applies it: U(-a/sqrt(T*E), a/sqrt(T*E)) noise on the embeddings
            float mag = (float) (noise / Math.sqrt((double) t * config.hiddenSize()));
            x = x.add(scope.randomUniform(-mag, mag, x.getShape()));
        }
        return x;
    }

    RotaryEmbedding rotary() {
        return rotary;
    }

    RmsNorm finalNorm() {
        return norm;
    }

    /**
     * Backpropagates {@code loss(logits)} with gradient checkpointing per decoder layer
     * ({@link CheckpointedBackward}): the gradients of the plain backward pass, with one layer's
     * activations alive at a time. Call it where a plain backward pass would go (inside the
     * trainer's gradient collector); it returns the loss value.
     *
     * @param loss from logits [B, T, V] (in {@code scope}) to a scalar in {@code scope}
     */
    public float backwardCheckpointed(NDManager scope, ForwardInput in, java.util.function.Function<NDArray, NDArray> loss) {
        return CheckpointedBackward.run(this, scope, in, loss);
    }

    /** Rows of equal length, one after the other. */
    static long[] flatten(long[][] rows) {
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

    /** Bytes held by the weights, as their storage holds them (a tied head counted once). */
    public long weightBytes() {
        return parameters.bytes();
    }

    /**
     * Every parameter under its Hugging Face name, in the order of transformers'
     * {@code named_parameters()}: the embedding; per layer q/k/v/o (weight, then bias), gate/up/down,
     * the two norms; the final norm; then {@code lm_head.weight}, which a model with tied embeddings
     * does not list (it is the embedding, whose {@link Parameter#tiedNames} name it). Every
     * parameter whose storage can be updated starts trainable, as in transformers; the flag only
     * records a trainer's choice and attaches no gradient.
     */
    public List<Parameter> parameters() {
        return parameters.list();
    }

    /**
     * The tensors of the parameters marked trainable, by Hugging Face name in {@link #parameters()}
     * order, for full fine-tuning: the arrays the model computes with, which a trainer updates in
     * place. A tied embedding appears once; weights in storage that cannot be updated (NF4) never.
     */
    public Map<String, NDArray> trainableTensors() {
        return parameters.trainableArrays();
    }

    /**
     * Every parameter held densely, by Hugging Face name in {@link #parameters()} order (a tied
     * embedding once): what a saved model folder holds. Quantized projections are not included.
     */
    public Map<String, NDArray> denseTensors() {
        return parameters.denseArrays();
    }

    /** Marks every parameter as not to be trained (before choosing the few that are, or attaching adapters). */
    public void freezeAll() {
        parameters.setTrainable(n -> true, false);
    }

    /**
     * Marks one parameter as to be trained or not. A tied name ({@code lm_head.weight} with tied
     * embeddings) means the parameter it shares.
     *
     * @throws IllegalArgumentException for an unknown name, or to train a weight whose storage
     *     cannot be updated (quantized: train an adapter on it instead)
     */
    public void setTrainable(String name, boolean trainable) {
        if (parameters.setTrainable(name::equals, trainable) == 0) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; parameters are named like "
                    + EMBED + ", model.layers.0.self_attn.q_proj.weight, model.norm.weight");
        }
    }

    /**
     * Marks every parameter whose name (or a tied name) matches as to be trained or not; nothing
     * changes when one of them cannot be trained.
     *
     * @return how many parameters matched
     * @throws IllegalArgumentException to train a weight whose storage cannot be updated
     */
    public int setTrainable(Predicate<String> names, boolean trainable) {
        return parameters.setTrainable(names, trainable);
    }

    /** The final RMSNorm ({@code model.norm}). */
    public RmsNorm norm() {
        return norm;
    }

    /** The LM head: the tied embedding or its own projection. */
    public Linear lmHead() {
        return lmHead;
    }

    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        long params = config.parameterCount();
        return "CausalLm " + config + ", " + String.format("%,d parameters, %.2f bytes per parameter", params,
                params == 0 ? 0.0 : (double) weightBytes() / params);
    }
}

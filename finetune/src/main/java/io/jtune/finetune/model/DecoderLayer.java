package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** One pre-norm decoder block: h = x + attn(norm(x)); out = h + mlp(norm(h)). */
public final class DecoderLayer {
    private final int index;
    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final Mlp mlp;

    DecoderLayer(int index, RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, Mlp mlp) {
        this.index = index;
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
    }

    /** The layer's number, as in {@code model.layers.N}. */
    public int index() {
        return index;
    }

    public RmsNorm inputNorm() {
        return inputNorm;
    }

    public RmsNorm postAttentionNorm() {
        return postAttentionNorm;
    }

    public Attention attention() {
        return attention;
    }

    public Mlp mlp() {
        return mlp;
    }

    NDArray forward(NDArray x, RotaryEmbedding rotary, NDList rope, NDArray mask, KvCache cache) {
        NDArray h = x.add(attention.forward(inputNorm.forward(x), rotary, rope, mask, cache, index));
        return h.add(mlp.forward(postAttentionNorm.forward(h)));
    }
}

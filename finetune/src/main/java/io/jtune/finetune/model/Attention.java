package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Causal grouped-query self-attention (Ainslie et al. 2023): H query heads share K key/value
 * heads, G = H/K queries per key/value head. Queries are viewed as [B, K, G, T, D] so the shared
 * keys broadcast instead of being repeated.
 */
public final class Attention {
    private final ModelConfig config;
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;
    private final NDArray scale; // 0-d, 1/sqrt(D)

    Attention(ModelConfig config, Linear q, Linear k, Linear v, Linear o, NDArray scale) {
        this.config = config;
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.scale = scale;
    }

    public Linear qProj() {
        return q;
    }

    public Linear kProj() {
        return k;
    }

    public Linear vProj() {
        return v;
    }

    public Linear oProj() {
        return o;
    }

    /**
     * x [B, T, E] to [B, T, E].
     *
     * @param rope cos/sin tables [B, 1, T, D]
     * @param mask additive [B, 1, 1, T, S]
     * @param cache may be null (then S = T)
     */
    NDArray forward(NDArray x, RotaryEmbedding rotary, NDList rope, NDArray mask, KvCache cache, int layer) {
        NDManager scope = x.getManager();
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int heads = config.numHeads();
        int kv = config.numKvHeads();
        int d = config.headDim();
        NDArray qs = q.forward(x).reshape(b, t, heads, d).transpose(0, 2, 1, 3); // [B, H, T, D]
        NDArray ks = k.forward(x).reshape(b, t, kv, d).transpose(0, 2, 1, 3);    // [B, K, T, D]
        NDArray vs = v.forward(x).reshape(b, t, kv, d).transpose(0, 2, 1, 3);    // [B, K, T, D]
        qs = rotary.apply(qs, rope).mul(scale);
        ks = rotary.apply(ks, rope);
        if (cache != null) {
            NDArray[] all = cache.append(layer, ks, vs, scope); // [B, K, S, D] each
            ks = all[0];
            vs = all[1];
        }
        long s = ks.getShape().get(2);
        NDArray q5 = qs.reshape(b, kv, config.kvGroups(), t, d);           // [B, K, G, T, D]
        NDArray kT = ks.expandDims(2).transpose(0, 1, 2, 4, 3);            // [B, K, 1, D, S]
        NDArray scores = q5.matMul(kT).add(mask);                          // [B, K, G, T, S]
        NDArray probs = scores.softmax(-1);
        NDArray out = probs.matMul(vs.expandDims(2));                      // [B, K, G, T, D]
        out = out.reshape(b, heads, t, d).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * d); // [B, T, H*D]
        assert s == mask.getShape().get(4);
        return o.forward(out);
    }
}

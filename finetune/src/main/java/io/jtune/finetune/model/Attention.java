package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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
        long e = config.hiddenSize();
        long qOut = (long) config.numHeads() * config.headDim();
        long kvOut = (long) config.numKvHeads() * config.headDim();
        check(q, qOut, e);
        check(k, kvOut, e);
        check(v, kvOut, e);
        check(o, e, qOut);
        this.config = config;
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.scale = scale;
    }

    private static void check(Linear l, long out, long in) {
        if (l.outFeatures() != out || l.inFeatures() != in) {
            throw new IllegalArgumentException(l.name() + ": attention needs [out, in] = [" + out + ", " + in
                    + "] from the config, got [" + l.outFeatures() + ", " + l.inFeatures() + "]");
        }
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
     * @throws IllegalArgumentException when x, the mask or the cache disagree with each other or the config
     */
    NDArray forward(NDArray x, RotaryEmbedding rotary, NDList rope, NDArray mask, KvCache cache, int layer) {
        NDManager scope = x.getManager();
        Shape xs = x.getShape();
        if (xs.dimension() != 3 || xs.get(2) != config.hiddenSize()) {
            throw new IllegalArgumentException("layer " + layer + " attention: input must be [B, T, E] with E = "
                    + config.hiddenSize() + ", got " + xs);
        }
        long b = xs.get(0);
        long t = xs.get(1);
        Shape ms = mask.getShape();
        if (ms.dimension() != 5 || ms.get(1) != 1 || ms.get(2) != 1 || ms.get(3) != t
                || (ms.get(0) != b && ms.get(0) != 1)) {
            throw new IllegalArgumentException("layer " + layer + " attention: mask must be [B, 1, 1, T, S] with B = "
                    + b + " (or 1) and T = " + t + ", got " + ms);
        }
        long s = (cache == null ? 0 : cache.length()) + t;
        if (ms.get(4) != s) {
            throw new IllegalArgumentException("layer " + layer + " attention: the mask covers S = " + ms.get(4)
                    + " key positions but there are " + s + (cache != null ? " (" + cache.length() + " cached + "
                    + t + " new)" : ""));
        }
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
        NDArray q5 = qs.reshape(b, kv, config.kvGroups(), t, d);           // [B, K, G, T, D]
        NDArray kT = ks.expandDims(2).transpose(0, 1, 2, 4, 3);            // [B, K, 1, D, S]
        NDArray scores = q5.matMul(kT).add(mask);                          // [B, K, G, T, S]
        NDArray probs = scores.softmax(-1);
        NDArray out = probs.matMul(vs.expandDims(2));                      // [B, K, G, T, D]
        out = out.reshape(b, heads, t, d).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * d); // [B, T, H*D]
        return o.forward(out);
    }
}

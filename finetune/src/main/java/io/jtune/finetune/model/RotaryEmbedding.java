package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/**
 * Rotary position embeddings (Su et al. 2021, RoFormer) in Hugging Face's "rotate half" layout:
 * the first and second halves of a head's dimensions form the rotated pairs, and the cos/sin
 * tables repeat the D/2 frequencies twice. inv_freq_i = theta^(-2i/D), optionally Llama-3 scaled.
 */
public final class RotaryEmbedding {
    private final NDArray cos; // [P, D]
    private final NDArray sin; // [P, D]
    private final int headDim;

    RotaryEmbedding(NDManager manager, ModelConfig config) {
        this.headDim = config.headDim();
        int half = headDim / 2;
        double[] invFreq = new double[half];
        for (int i = 0; i < half; i++) {
            // computed in f32 as transformers does, so that tables agree to the last bit or two
            invFreq[i] = 1.0 / (float) Math.pow(config.ropeTheta(), (float) (2 * i) / headDim);
            invFreq[i] = (float) invFreq[i];
        }
        if (config.ropeScaling() != null) {
            invFreq = config.ropeScaling().apply(invFreq);
        }
        int positions = config.maxPositionEmbeddings();
        float[] c = new float[positions * headDim];
        float[] s = new float[positions * headDim];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) p * (float) invFreq[i];
                float cv = (float) Math.cos(angle);
                float sv = (float) Math.sin(angle);
                c[p * headDim + i] = cv;
                c[p * headDim + half + i] = cv;
                s[p * headDim + i] = sv;
                s[p * headDim + half + i] = sv;
            }
        }
        cos = manager.create(c, new Shape(positions, headDim));
        sin = manager.create(s, new Shape(positions, headDim));
    }

    /** cos and sin for positions [B, T]: two [B, 1, T, D] arrays in the positions' manager. */
    NDList tables(NDArray positions) {
        NDArray c = Embedding.embedding(positions, cos, SparseFormat.DENSE).singletonOrThrow().expandDims(1);
        NDArray s = Embedding.embedding(positions, sin, SparseFormat.DENSE).singletonOrThrow().expandDims(1);
        return new NDList(Scopes.own(c, positions.getManager()), Scopes.own(s, positions.getManager()));
    }

    /** x [B, heads, T, D] rotated: x·cos + rotate_half(x)·sin. */
    NDArray apply(NDArray x, NDList tables) {
        int half = headDim / 2;
        NDArray x1 = x.get("..., :{}", half);
        NDArray x2 = x.get("..., {}:", half);
        NDArray rotated = x2.neg().concat(x1, -1);
        return x.mul(tables.get(0)).add(rotated.mul(tables.get(1)));
    }
}

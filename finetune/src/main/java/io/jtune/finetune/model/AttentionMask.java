package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The additive attention mask [B, 1, 1, T, S]: 0 where query i (absolute position P+i) may see
 * key j, that is j <= P+i and key j is not padding; the lowest f32 elsewhere, as transformers
 * does (a fully masked row, a padding query, then attends uniformly and is ignored). With
 * segments, key j must also belong to the same packed example as the query.
 */
final class AttentionMask {
    static final float MASKED = -Float.MAX_VALUE;

    private AttentionMask() {}

    /** @param keyMask [B][S], 1 for real tokens and 0 for padding; @param past P */
    static NDArray build(NDManager scope, int[][] keyMask, int past, int t) {
        return build(scope, keyMask, null, past, t);
    }

    /** @param segments [B][S], the packed example of each position, or null */
    static NDArray build(NDManager scope, int[][] keyMask, int[][] segments, int past, int t) {
        int b = keyMask.length;
        int s = keyMask[0].length;
        if (s != past + t) {
            throw new IllegalArgumentException("attention mask covers " + s + " positions, expected " + (past + t));
        }
        float[] m = new float[b * t * s];
        for (int row = 0; row < b; row++) {
            for (int i = 0; i < t; i++) {
                int base = (row * t + i) * s;
                for (int j = 0; j < s; j++) {
                    boolean allowed = j <= past + i && keyMask[row][j] != 0
                            && (segments == null || segments[row][j] == segments[row][past + i]);
                    m[base + j] = allowed ? 0f : MASKED;
                }
            }
        }
        return scope.create(m, new Shape(b, 1, 1, t, s));
    }
}

package io.jtune.finetune.data.batch;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.format.LabelMasker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A training batch of {@code B} rows padded to the longest, {@code T} tokens: ids (padding holds
 * the pad id), attention mask (1 on tokens, 0 on padding), labels ({@link LabelMasker#IGNORE} on
 * padding), position ids (restarting at 0 for each packed example; 0 on padding), and per row the
 * example boundaries (see {@link PackedSequence#boundaries()}) and sources.
 *
 * <p>When rows hold several packed examples, keeping them from attending to each other needs a
 * block-diagonal attention mask; {@link #blockDiagonalMask()} builds it from the boundaries
 * (it is made on demand, as it is {@code B*T*T}).
 */
public final class Batch {
    private final int[][] inputIds;
    private final int[][] attentionMask;
    private final int[][] labels;
    private final int[][] positionIds;
    private final int[][] boundaries;
    private final List<List<SourceRef>> sources;

    /** Pads {@code rows} to the longest with {@code padId}. */
    public static Batch of(List<PackedSequence> rows, int padId) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one row");
        }
        int t = 0;
        for (PackedSequence r : rows) {
            t = Math.max(t, r.length());
        }
        int b = rows.size();
        int[][] ids = new int[b][t];
        int[][] mask = new int[b][t];
        int[][] labels = new int[b][t];
        int[][] pos = new int[b][t];
        int[][] bounds = new int[b][];
        List<List<SourceRef>> sources = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            PackedSequence r = rows.get(i);
            int n = r.length();
            System.arraycopy(r.inputIds(), 0, ids[i], 0, n);
            System.arraycopy(r.labels(), 0, labels[i], 0, n);
            System.arraycopy(r.positionIds(), 0, pos[i], 0, n);
            for (int j = 0; j < t; j++) {
                mask[i][j] = j < n ? 1 : 0;
                if (j >= n) {
                    ids[i][j] = padId;
                    labels[i][j] = LabelMasker.IGNORE;
                }
            }
            bounds[i] = r.boundaries().clone();
            sources.add(r.sources());
        }
        return new Batch(ids, mask, labels, pos, bounds, List.copyOf(sources));
    }

    private Batch(int[][] inputIds, int[][] attentionMask, int[][] labels, int[][] positionIds, int[][] boundaries,
            List<List<SourceRef>> sources) {
        this.inputIds = inputIds;
        this.attentionMask = attentionMask;
        this.labels = labels;
        this.positionIds = positionIds;
        this.boundaries = boundaries;
        this.sources = sources;
    }

    /** Rows, {@code B}. */
    public int size() {
        return inputIds.length;
    }

    /** Padded length, {@code T}. */
    public int length() {
        return inputIds[0].length;
    }

    /** Token ids {@code [B][T]}. */
    public int[][] inputIds() {
        return inputIds;
    }

    /** 1 on tokens, 0 on padding, {@code [B][T]}. */
    public int[][] attentionMask() {
        return attentionMask;
    }

    /** Labels {@code [B][T]}. */
    public int[][] labels() {
        return labels;
    }

    /** Position ids {@code [B][T]}. */
    public int[][] positionIds() {
        return positionIds;
    }

    /** Per row, the start of each example and then the row's unpadded length. */
    public int[][] boundaries() {
        return boundaries;
    }

    /** Per row, the sources of its examples. */
    public List<List<SourceRef>> sources() {
        return sources;
    }

    /** Padding positions in the batch. */
    public int paddingTokens() {
        int pad = 0;
        for (int[] row : attentionMask) {
            for (int m : row) {
                pad += 1 - m;
            }
        }
        return pad;
    }

    /**
     * {@code [B][T][T]}: true where query {@code i} and key {@code j} are tokens of the same
     * example. Padding rows and columns are false. Not causal.
     */
    public boolean[][][] blockDiagonalMask() {
        int b = size();
        int t = length();
        boolean[][][] m = new boolean[b][t][t];
        for (int r = 0; r < b; r++) {
            int[] bd = boundaries[r];
            for (int k = 0; k + 1 < bd.length; k++) {
                for (int i = bd[k]; i < bd[k + 1]; i++) {
                    Arrays.fill(m[r][i], bd[k], bd[k + 1], true);
                }
            }
        }
        return m;
    }

    /** The batch as DJL arrays created in {@code manager} (which owns them). */
    public BatchArrays toNDArrays(NDManager manager) {
        int b = size();
        int t = length();
        Shape shape = new Shape(b, t);
        boolean[] block = new boolean[b * t * t];
        boolean[][][] m = blockDiagonalMask();
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                System.arraycopy(m[r][i], 0, block, (r * t + i) * t, t);
            }
        }
        return new BatchArrays(manager.create(flat(inputIds), shape), manager.create(flat(attentionMask), shape),
                manager.create(flat(labels), shape), manager.create(flat(positionIds), shape),
                manager.create(block, new Shape(b, t, t)));
    }

    private static long[] flat(int[][] a) {
        int t = a[0].length;
        long[] out = new long[a.length * t];
        for (int r = 0; r < a.length; r++) {
            for (int j = 0; j < t; j++) {
                out[r * t + j] = a[r][j];
            }
        }
        return out;
    }
}

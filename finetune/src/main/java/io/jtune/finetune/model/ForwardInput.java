package io.jtune.finetune.model;

import java.util.Arrays;

/**
 * One forward step's input: new token ids [B][T], their positions [B][T], the key mask [B][P+T]
 * over every position the step attends to (1 real, 0 padding), and optionally segments [B][P+T]:
 * which packed example each position belongs to, so that a query attends only to keys of its own
 * example (the block-diagonal mask of packed training); null when every row is one sequence.
 */
public record ForwardInput(long[][] ids, long[][] positions, int[][] keyMask, int[][] segments) {
    /** One sequence per row (no packing). */
    public ForwardInput(long[][] ids, long[][] positions, int[][] keyMask) {
        this(ids, positions, keyMask, null);
    }

    public ForwardInput {
        if (ids.length == 0 || ids[0].length == 0) {
            throw new IllegalArgumentException("no tokens");
        }
        int t = ids[0].length;
        for (int b = 0; b < ids.length; b++) {
            if (ids[b].length != t || positions[b].length != t) {
                throw new IllegalArgumentException("row " + b + " has a different length; pad the batch first");
            }
            if (keyMask[b].length != keyMask[0].length) {
                throw new IllegalArgumentException("key mask row " + b + " has a different length");
            }
            if (segments != null && segments[b].length != keyMask[b].length) {
                throw new IllegalArgumentException("segments row " + b + " does not cover the key positions");
            }
        }
    }

    /** Unpadded sequences of equal length, starting at position 0. */
    public static ForwardInput of(int[][] ids) {
        return leftPadded(ids, 0);
    }

    /**
     * Sequences of any lengths, left-padded with {@code padId} to the longest; positions count real
     * tokens only (cumsum of the mask minus one, clamped at 0, as transformers' generate does).
     */
    public static ForwardInput leftPadded(int[][] sequences, int padId) {
        int t = Arrays.stream(sequences).mapToInt(s -> s.length).max().orElse(0);
        long[][] ids = new long[sequences.length][t];
        long[][] pos = new long[sequences.length][t];
        int[][] mask = new int[sequences.length][t];
        for (int b = 0; b < sequences.length; b++) {
            int pad = t - sequences[b].length;
            for (int i = 0; i < t; i++) {
                boolean real = i >= pad;
                ids[b][i] = real ? sequences[b][i - pad] : padId;
                mask[b][i] = real ? 1 : 0;
                pos[b][i] = real ? i - pad : 0;
            }
        }
        return new ForwardInput(ids, pos, mask);
    }

    public int batch() {
        return ids.length;
    }

    public int length() {
        return ids[0].length;
    }
}

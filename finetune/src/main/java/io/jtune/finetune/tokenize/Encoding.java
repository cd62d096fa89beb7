package io.jtune.finetune.tokenize;

import java.util.Arrays;

/**
 * The token ids of a text and, for each token, the characters it came from: {@code [start, end)}
 * as indexes into the Java {@code String} that was encoded (UTF-16 units, so a character outside
 * the Basic Multilingual Plane spans two). Several tokens may share one character (the bytes of an
 * emoji split over byte-level tokens), and a special token added by the tokenizer, not found in
 * the text, has the empty span {@code [0, 0)}.
 */
public final class Encoding {
    private final int[] ids;
    private final int[] starts;
    private final int[] ends;

    /** An encoding that keeps these arrays (no copy): the caller must not change them afterwards. */
    public Encoding(int[] ids, int[] starts, int[] ends) {
        if (ids.length != starts.length || ids.length != ends.length) {
            throw new IllegalArgumentException("ids, starts and ends differ in length");
        }
        this.ids = ids;
        this.starts = starts;
        this.ends = ends;
    }

    /** The number of tokens. */
    public int size() {
        return ids.length;
    }

    /** A copy of the token ids. */
    public int[] ids() {
        return ids.clone();
    }

    /** The id of token {@code i}. */
    public int id(int i) {
        return ids[i];
    }

    /** The index of the first character of token {@code i}. */
    public int start(int i) {
        return starts[i];
    }

    /** The index after the last character of token {@code i}. */
    public int end(int i) {
        return ends[i];
    }

    /** A copy of the start indexes, one per token. */
    public int[] starts() {
        return starts.clone();
    }

    /** A copy of the end indexes, one per token. */
    public int[] ends() {
        return ends.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && Arrays.equals(ids, e.ids) && Arrays.equals(starts, e.starts)
                && Arrays.equals(ends, e.ends);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ids) + Arrays.hashCode(starts)) + Arrays.hashCode(ends);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Encoding[");
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(ids[i]).append('@').append(starts[i]).append('-').append(ends[i]);
        }
        return sb.append(']').toString();
    }
}

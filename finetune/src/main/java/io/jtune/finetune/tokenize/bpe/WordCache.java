package io.jtune.finetune.tokenize.bpe;

import java.util.Arrays;

/**
 * A cache from pre-token text to its BPE tokens (as {@link BpeModel#tokenize} returns them), looked
 * up by a region of a longer string so that a hit allocates nothing. Not thread-safe: each thread
 * has its own. When full it starts over empty, so it follows the words of the current text.
 */
final class WordCache {
    /** Longer pre-tokens (long runs of spaces or digits, say) are not kept. */
    static final int MAX_WORD_LENGTH = 256;
    private static final int MAX_ENTRIES = 1 << 15;

    private final String[] keys = new String[MAX_ENTRIES * 2];
    private final int[] hashes = new int[MAX_ENTRIES * 2];
    private final int[][] values = new int[MAX_ENTRIES * 2][];
    private final int mask = MAX_ENTRIES * 2 - 1;
    private int size;

    /** The hash of {@code text[start, end)} that {@link #get} and {@link #put} take. */
    static int hash(String text, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h ^ (h >>> 16);
    }

    /** The tokens of {@code text[start, end)}, or {@code null} when not cached. */
    int[] get(String text, int start, int end, int hash) {
        int length = end - start;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            String key = keys[i];
            if (key == null) {
                return null;
            }
            if (hashes[i] == hash && key.length() == length && text.regionMatches(start, key, 0, length)) {
                return values[i];
            }
        }
    }

    /** Keeps the tokens of {@code text[start, end)} (not yet cached; at most {@link #MAX_WORD_LENGTH} chars). */
    void put(String text, int start, int end, int hash, int[] tokens) {
        if (size == MAX_ENTRIES) {
            Arrays.fill(keys, null);
            Arrays.fill(values, null);
            size = 0;
        }
        int i = hash & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = text.substring(start, end);
        hashes[i] = hash;
        values[i] = tokens;
        size++;
    }
}

package io.jtune.finetune.tokenize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens in a text the way the Rust {@code tokenizers} library's Aho-Corasick automaton
 * does with leftmost-longest matching: the match that starts first and, of those starting there,
 * the longest; the next search starts where it ends. The library keeps two of these, one for the
 * tokens matched in the raw text ({@code normalized: false}) and one for those matched in the
 * normalized pieces between them ({@code normalized: true}).
 *
 * <p>Immutable. Contents are non-empty and hold no unpaired surrogate, so a match always starts and
 * ends on code point boundaries of a well-formed text.
 */
final class AddedTokenMatcher {
    private final String[] contents;
    private final int[] ids;
    /** For each BMP character, whether some content starts with it (a bit set). */
    private final long[] firstChars = new long[1024];
    /** Indexes into {@link #contents} by first character, longest content first. */
    private final Map<Character, int[]> byFirstChar = new HashMap<>();

    /** A matcher for these tokens (contents and their ids, in the same order). */
    AddedTokenMatcher(List<String> contents, List<Integer> ids) {
        this.contents = contents.toArray(new String[0]);
        this.ids = ids.stream().mapToInt(Integer::intValue).toArray();
        Map<Character, List<Integer>> groups = new HashMap<>();
        for (int i = 0; i < this.contents.length; i++) {
            char first = this.contents[i].charAt(0);
            firstChars[first >>> 6] |= 1L << first;
            groups.computeIfAbsent(first, k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Character, List<Integer>> e : groups.entrySet()) {
            List<Integer> group = e.getValue();
            group.sort(Comparator.comparingInt((Integer i) -> -this.contents[i].length()));
            byFirstChar.put(e.getKey(), group.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /** Whether there is no token to find. */
    boolean isEmpty() {
        return contents.length == 0;
    }

    /**
     * The leftmost-longest match in {@code text[from, to)}: its start in the high 32 bits and the
     * index of its token (for {@link #id} and {@link #length}) in the low ones; -1 when none.
     */
    long find(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if ((firstChars[c >>> 6] & (1L << c)) == 0) {
                continue;
            }
            for (int k : byFirstChar.get(c)) {
                String content = contents[k];
                if (i + content.length() <= to && text.startsWith(content, i)) {
                    return ((long) i << 32) | k;
                }
            }
        }
        return -1;
    }

    /** The start of a match {@link #find} returned. */
    static int start(long match) {
        return (int) (match >>> 32);
    }

    /** The token index of a match {@link #find} returned. */
    static int token(long match) {
        return (int) match;
    }

    /** The id of token {@code k}. */
    int id(int k) {
        return ids[k];
    }

    /** The length (in chars) of token {@code k}. */
    int length(int k) {
        return contents[k].length();
    }
}

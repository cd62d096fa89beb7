package io.jtune.finetune.tokenize.bpe;

import java.util.Arrays;
import java.util.List;

/**
 * Finds added tokens in a text the way the Rust {@code tokenizers} library's Aho-Corasick automaton
 * does with leftmost-longest matching: the match that starts first and, of those starting there,
 * the longest; the next search starts where it ends. The library keeps two of these, one for the
 * tokens matched in the raw text ({@code normalized: false}) and one for those matched in the
 * normalized pieces between them ({@code normalized: true}).
 *
 * <p>A trie of the contents, walked from each position whose character starts some content.
 * Immutable. Contents are non-empty and hold no unpaired surrogate, so a match always starts and
 * ends on code point boundaries of a well-formed text.
 */
final class AddedTokenMatcher {
    private final int[] ids;
    private final int[] lengths;
    /** For each BMP character, whether some content starts with it (a bit set). */
    private final long[] firstChars = new long[1024];
    private final Node root = new Node();

    /** A trie node: its children by character (sorted) and the token that ends here, if any. */
    private static final class Node {
        char[] keys = new char[0];
        Node[] children = new Node[0];
        int token = -1;

        Node child(char c) {
            int i = Arrays.binarySearch(keys, c);
            return i >= 0 ? children[i] : null;
        }

        Node childOrNew(char c) {
            int i = Arrays.binarySearch(keys, c);
            if (i >= 0) {
                return children[i];
            }
            i = -i - 1;
            char[] k = new char[keys.length + 1];
            Node[] ch = new Node[keys.length + 1];
            System.arraycopy(keys, 0, k, 0, i);
            System.arraycopy(children, 0, ch, 0, i);
            System.arraycopy(keys, i, k, i + 1, keys.length - i);
            System.arraycopy(children, i, ch, i + 1, keys.length - i);
            k[i] = c;
            ch[i] = new Node();
            keys = k;
            children = ch;
            return ch[i];
        }
    }

    /** A matcher for these tokens (contents and their ids, in the same order). */
    AddedTokenMatcher(List<String> contents, List<Integer> ids) {
        this.ids = ids.stream().mapToInt(Integer::intValue).toArray();
        this.lengths = contents.stream().mapToInt(String::length).toArray();
        for (int k = 0; k < contents.size(); k++) {
            String content = contents.get(k);
            char first = content.charAt(0);
            firstChars[first >>> 6] |= 1L << first;
            Node node = root;
            for (int i = 0; i < content.length(); i++) {
                node = node.childOrNew(content.charAt(i));
            }
            if (node.token < 0) {
                node.token = k; // the same content twice: the library's map gives both one id
            }
        }
    }

    /** Whether there is no token to find. */
    boolean isEmpty() {
        return ids.length == 0;
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
            int longest = -1;
            Node node = root;
            for (int j = i; j < to; j++) {
                node = node.child(text.charAt(j));
                if (node == null) {
                    break;
                }
                if (node.token >= 0) {
                    longest = node.token;
                }
            }
            if (longest >= 0) {
                return ((long) i << 32) | longest;
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
        return lengths[k];
    }
}

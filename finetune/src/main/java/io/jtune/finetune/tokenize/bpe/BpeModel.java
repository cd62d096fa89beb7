package io.jtune.finetune.tokenize.bpe;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code model} of a byte-level BPE {@code tokenizer.json}: the vocabulary and the merges,
 * applied to the bytes of one pre-token exactly as the Rust {@code tokenizers} library's
 * {@code BPE} model applies them (without dropout).
 *
 * <p>The merge loop is the library's: a priority queue of candidate merges ordered by rank, then
 * by position, where a popped candidate is skipped when its left symbol was merged away, has no
 * right neighbour, or no longer forms a pair that merges into the same token. (For most merge
 * tables this equals "merge the lowest-ranked pair, leftmost first", but not when two different
 * pairs merge into the same token, so the queue is kept as the library has it.)
 *
 * <p>Instances are immutable; {@link #tokenize} takes its working arrays from the caller.
 */
final class BpeModel {
    private final Map<String, Integer> vocab;
    private final int[] byteIds = new int[256];
    private final boolean ignoreMerges;
    private final PairTable merges;

    private BpeModel(Map<String, Integer> vocab, PairTable merges, boolean ignoreMerges) {
        this.vocab = vocab;
        this.merges = merges;
        this.ignoreMerges = ignoreMerges;
        for (int b = 0; b < 256; b++) {
            byteIds[b] = vocab.get(String.valueOf(ByteLevelAlphabet.charOf(b)));
        }
    }

    /**
     * Reads {@code model} of a {@code tokenizer.json}.
     *
     * @throws UnsupportedTokenizerException when it is not a BPE model this class reproduces
     *     exactly: another type, dropout, byte fallback, a subword prefix or word suffix, a
     *     vocabulary without the 256 byte-level tokens, or merges the library would refuse
     */
    static BpeModel read(Map<?, ?> model) throws UnsupportedTokenizerException {
        if (!"BPE".equals(model.get("type"))) {
            throw new UnsupportedTokenizerException("the model is " + model.get("type") + ", not BPE");
        }
        if (model.get("dropout") != null) {
            throw new UnsupportedTokenizerException("the BPE model has dropout " + model.get("dropout"));
        }
        if (Boolean.TRUE.equals(model.get("byte_fallback"))) {
            throw new UnsupportedTokenizerException("the BPE model has byte_fallback");
        }
        for (String affix : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            Object value = model.get(affix);
            if (value != null && !"".equals(value)) {
                throw new UnsupportedTokenizerException("the BPE model has a " + affix + " (" + value + ")");
            }
        }
        Object ignore = model.get("ignore_merges");
        if (ignore != null && !(ignore instanceof Boolean)) {
            throw new UnsupportedTokenizerException("the BPE model's ignore_merges is not true or false");
        }
        if (!(model.get("vocab") instanceof Map<?, ?> vocabJson)) {
            throw new UnsupportedTokenizerException("the BPE model has no vocab object");
        }
        Map<String, Integer> vocab = new HashMap<>(vocabJson.size() * 2);
        for (Map.Entry<?, ?> e : vocabJson.entrySet()) {
            if (!(e.getValue() instanceof Long id) || id < 0 || id > Integer.MAX_VALUE) {
                throw new UnsupportedTokenizerException("model.vocab[\"" + e.getKey() + "\"] is not a token id");
            }
            vocab.put((String) e.getKey(), id.intValue());
        }
        for (int b = 0; b < 256; b++) {
            if (!vocab.containsKey(String.valueOf(ByteLevelAlphabet.charOf(b)))) {
                throw new UnsupportedTokenizerException("the vocabulary lacks the byte-level token of byte " + b
                        + " (\"" + ByteLevelAlphabet.charOf(b) + "\"), so it is not a complete byte-level BPE");
            }
        }
        if (!(model.get("merges") instanceof List<?> mergeList)) {
            throw new UnsupportedTokenizerException("the BPE model has no merges list");
        }
        PairTable merges = new PairTable(mergeList.size());
        for (int rank = 0; rank < mergeList.size(); rank++) {
            String[] pair = mergePair(mergeList.get(rank));
            if (pair == null) {
                throw new UnsupportedTokenizerException("model.merges[" + rank + "] is neither \"left right\" nor"
                        + " [left, right]");
            }
            Integer left = vocab.get(pair[0]);
            Integer right = vocab.get(pair[1]);
            Integer merged = vocab.get(pair[0] + pair[1]);
            if (left == null || right == null || merged == null) {
                throw new UnsupportedTokenizerException("model.merges[" + rank + "] names a token outside the"
                        + " vocabulary: " + pair[0] + " + " + pair[1]);
            }
            // As in the library (a map built from the list), a pair listed twice keeps its last rank.
            merges.put(left, right, rank, merged);
        }
        return new BpeModel(vocab, merges, Boolean.TRUE.equals(ignore));
    }

    /** A merge as the library reads it: a string split at its single space, or a list of two strings. */
    private static String[] mergePair(Object merge) {
        if (merge instanceof String s) {
            String[] parts = s.split(" ", -1);
            return parts.length == 2 ? parts : null;
        }
        if (merge instanceof List<?> list && list.size() == 2 && list.get(0) instanceof String a
                && list.get(1) instanceof String b) {
            return new String[] {a, b};
        }
        return null;
    }

    /**
     * The tokens of one pre-token, given as its UTF-8 bytes {@code bytes[0, length)} (each byte is
     * one byte-level symbol): ids and byte lengths, interleaved ({@code [id0, length0, id1, ...]}).
     */
    int[] tokenize(byte[] bytes, int length, Workspace work) {
        if (ignoreMerges) {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++) {
                chars[i] = ByteLevelAlphabet.charOf(bytes[i]);
            }
            Integer whole = vocab.get(new String(chars));
            if (whole != null) {
                return new int[] {whole, length};
            }
        }
        work.ensure(length);
        int[] ids = work.ids;
        int[] lengths = work.lengths;
        int[] prev = work.prev;
        int[] next = work.next;
        for (int i = 0; i < length; i++) {
            ids[i] = byteIds[bytes[i] & 0xFF];
            lengths[i] = 1;
            prev[i] = i - 1;
            next[i] = i + 1 < length ? i + 1 : -1;
        }
        Heap queue = work.queue;
        queue.clear();
        for (int i = 0; i + 1 < length; i++) {
            long m = merges.get(ids[i], ids[i + 1]);
            if (m >= 0) {
                queue.push(PairTable.rank(m), i, PairTable.merged(m));
            }
        }
        while (queue.size() > 0) {
            int pos = queue.topPosition();
            int mergedId = queue.topMerged();
            queue.pop();
            if (lengths[pos] == 0 || next[pos] < 0) {
                continue;
            }
            int right = next[pos];
            long current = merges.get(ids[pos], ids[right]);
            if (current < 0 || PairTable.merged(current) != mergedId) {
                continue; // a stale candidate: the pair at pos has changed
            }
            ids[pos] = mergedId;
            lengths[pos] += lengths[right];
            next[pos] = next[right];
            lengths[right] = 0;
            if (next[right] >= 0) {
                prev[next[right]] = pos;
            }
            if (prev[pos] >= 0) {
                long m = merges.get(ids[prev[pos]], mergedId);
                if (m >= 0) {
                    queue.push(PairTable.rank(m), prev[pos], PairTable.merged(m));
                }
            }
            if (next[pos] >= 0) {
                long m = merges.get(mergedId, ids[next[pos]]);
                if (m >= 0) {
                    queue.push(PairTable.rank(m), pos, PairTable.merged(m));
                }
            }
        }
        int count = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            count++;
        }
        int[] out = new int[2 * count];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            out[k++] = ids[i];
            out[k++] = lengths[i];
        }
        return out;
    }

    /** Working arrays of {@link #tokenize}, one set per thread. */
    static final class Workspace {
        int[] ids = new int[64];
        int[] lengths = new int[64];
        int[] prev = new int[64];
        int[] next = new int[64];
        final Heap queue = new Heap();

        void ensure(int length) {
            if (ids.length < length) {
                int n = Math.max(length, ids.length * 2);
                ids = new int[n];
                lengths = new int[n];
                prev = new int[n];
                next = new int[n];
            }
        }
    }

    /**
     * The merges: (left id, right id) to (rank, merged id), in an open-addressing table keyed by
     * the two ids packed into a long.
     */
    static final class PairTable {
        private static final long EMPTY = -1L;
        private final long[] keys;
        private final long[] values;
        private final int mask;

        PairTable(int expected) {
            int capacity = Integer.highestOneBit(Math.max(4, expected * 2 + 1) - 1) << 1;
            keys = new long[capacity];
            values = new long[capacity];
            mask = capacity - 1;
            Arrays.fill(keys, EMPTY);
        }

        void put(int left, int right, int rank, int merged) {
            long key = ((long) left << 32) | (right & 0xFFFFFFFFL);
            int i = slot(key);
            while (keys[i] != EMPTY && keys[i] != key) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = ((long) rank << 32) | (merged & 0xFFFFFFFFL);
        }

        /** The packed (rank, merged id) of a pair, or -1 when the pair does not merge. */
        long get(int left, int right) {
            long key = ((long) left << 32) | (right & 0xFFFFFFFFL);
            int i = slot(key);
            while (true) {
                long k = keys[i];
                if (k == key) {
                    return values[i];
                }
                if (k == EMPTY) {
                    return -1;
                }
                i = (i + 1) & mask;
            }
        }

        private int slot(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 29)) & mask;
        }

        static int rank(long packed) {
            return (int) (packed >>> 32);
        }

        static int merged(long packed) {
            return (int) packed;
        }
    }

    /** A binary min-heap of merge candidates ordered by (rank, position). */
    static final class Heap {
        private int[] ranks = new int[64];
        private int[] positions = new int[64];
        private int[] mergedIds = new int[64];
        private int size;

        int size() {
            return size;
        }

        void clear() {
            size = 0;
        }

        int topPosition() {
            return positions[0];
        }

        int topMerged() {
            return mergedIds[0];
        }

        void push(int rank, int position, int merged) {
            if (size == ranks.length) {
                ranks = Arrays.copyOf(ranks, size * 2);
                positions = Arrays.copyOf(positions, size * 2);
                mergedIds = Arrays.copyOf(mergedIds, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!less(rank, position, ranks[parent], positions[parent])) {
                    break;
                }
                set(i, ranks[parent], positions[parent], mergedIds[parent]);
                i = parent;
            }
            set(i, rank, position, merged);
        }

        void pop() {
            int last = --size;
            if (last == 0) {
                return;
            }
            int rank = ranks[last];
            int position = positions[last];
            int merged = mergedIds[last];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && less(ranks[child + 1], positions[child + 1], ranks[child], positions[child])) {
                    child++;
                }
                if (!less(ranks[child], positions[child], rank, position)) {
                    break;
                }
                set(i, ranks[child], positions[child], mergedIds[child]);
                i = child;
            }
            set(i, rank, position, merged);
        }

        private void set(int i, int rank, int position, int merged) {
            ranks[i] = rank;
            positions[i] = position;
            mergedIds[i] = merged;
        }

        private static boolean less(int rankA, int positionA, int rankB, int positionB) {
            return rankA != rankB ? rankA < rankB : positionA < positionB;
        }
    }
}

package io.jtune.finetune.data.batch;

import io.jtune.finetune.data.format.TokenizedExample;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Packs examples into sequences of at most {@code maxLen} tokens, best-fit decreasing: examples
 * from longest to shortest, each into the open sequence with the least room that still fits it.
 * The result is deterministic for a given input; examples inside a sequence keep the order in
 * which they were placed. Shuffle the sequences (or batch them with {@link Batcher}) afterwards.
 */
public final class Packer {
    private final int maxLen;

    /** @param maxLen the longest packed sequence */
    public Packer(int maxLen) {
        if (maxLen < 1) {
            throw new IllegalArgumentException("maxLen must be positive, was " + maxLen);
        }
        this.maxLen = maxLen;
    }

    /**
     * The packed sequences.
     *
     * @throws IllegalArgumentException naming the example when one is longer than {@code maxLen}
     */
    public List<PackedSequence> pack(List<TokenizedExample> examples) {
        List<TokenizedExample> sorted = new ArrayList<>(examples);
        sorted.sort(Comparator.comparingInt(TokenizedExample::length).reversed());
        List<List<TokenizedExample>> bins = new ArrayList<>();
        TreeMap<Integer, Deque<Integer>> byRoom = new TreeMap<>();
        int[] room = new int[Math.max(1, sorted.size())];
        for (TokenizedExample e : sorted) {
            if (e.length() > maxLen) {
                throw new IllegalArgumentException(e.source() + ": " + e.length() + " tokens, longer than max_len " + maxLen);
            }
            Map.Entry<Integer, Deque<Integer>> fit = byRoom.ceilingEntry(e.length());
            int bin;
            if (fit == null) {
                bin = bins.size();
                bins.add(new ArrayList<>());
                room[bin] = maxLen;
            } else {
                bin = fit.getValue().pollFirst();
                if (fit.getValue().isEmpty()) {
                    byRoom.remove(fit.getKey());
                }
            }
            bins.get(bin).add(e);
            room[bin] -= e.length();
            if (room[bin] > 0) {
                byRoom.computeIfAbsent(room[bin], k -> new ArrayDeque<>()).addLast(bin);
            }
        }
        List<PackedSequence> out = new ArrayList<>(bins.size());
        for (List<TokenizedExample> b : bins) {
            out.add(PackedSequence.pack(b));
        }
        return out;
    }
}

package io.jtune.finetune.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Lengths counted in bins of equal integer width. Bin {@code b} holds the lengths from
 * {@code edges.get(b)} (inclusive) to {@code edges.get(b + 1)} (exclusive), so there is one more
 * edge than there are counts; with no lengths both lists are empty.
 */
public record LengthHistogram(List<Integer> edges, List<Integer> counts) {
    public LengthHistogram {
        edges = List.copyOf(edges);
        counts = List.copyOf(counts);
        if (counts.isEmpty() ? !edges.isEmpty() : edges.size() != counts.size() + 1) {
            throw new IllegalArgumentException(
                    "a histogram has one more edge than counts: " + edges.size() + " edges, " + counts.size() + " counts");
        }
    }

    /** {@code lengths} in at most {@code maxBins} bins of the same width, the first starting at the shortest. */
    public static LengthHistogram of(List<Integer> lengths, int maxBins) {
        if (maxBins < 1) {
            throw new IllegalArgumentException("maxBins must be at least 1, got " + maxBins);
        }
        if (lengths.isEmpty()) {
            return new LengthHistogram(List.of(), List.of());
        }
        int lo = lengths.stream().mapToInt(Integer::intValue).min().orElseThrow();
        int hi = lengths.stream().mapToInt(Integer::intValue).max().orElseThrow();
        int width = Math.max(1, (hi - lo + maxBins) / maxBins);
        int bins = (hi - lo) / width + 1;
        int[] c = new int[bins];
        for (int len : lengths) {
            c[(len - lo) / width]++;
        }
        List<Integer> edges = new ArrayList<>(bins + 1);
        List<Integer> counts = new ArrayList<>(bins);
        for (int b = 0; b <= bins; b++) {
            edges.add(lo + b * width);
        }
        for (int n : c) {
            counts.add(n);
        }
        return new LengthHistogram(edges, counts);
    }

    /** The number of bins. */
    public int bins() {
        return counts.size();
    }

    /** Bin {@code b}'s inclusive range, {@code "10-14"}, or one value, {@code "5"}, when the width is 1. */
    public String label(int b) {
        int from = edges.get(b);
        int to = edges.get(b + 1) - 1;
        return from == to ? String.valueOf(from) : from + "-" + to;
    }
}

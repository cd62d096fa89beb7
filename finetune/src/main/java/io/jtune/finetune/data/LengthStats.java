package io.jtune.finetune.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * Summary of a list of token lengths. The median of an even count is the mean of the two middle
 * values; p95 is the nearest-rank 95th percentile: the value at rank {@code ceil(0.95 * n)} of the
 * sorted lengths. All are 0 for an empty list.
 */
public record LengthStats(int count, int min, double median, int p95, int max, double mean) {
    /** The statistics of {@code lengths}, which is not changed. */
    public static LengthStats of(int[] lengths) {
        int n = lengths.length;
        if (n == 0) {
            return new LengthStats(0, 0, 0, 0, 0, 0);
        }
        int[] sorted = lengths.clone();
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + (double) sorted[n / 2]) / 2;
        long sum = 0;
        for (int v : sorted) {
            sum += v;
        }
        return new LengthStats(n, sorted[0], median, percentile(sorted, 95), sorted[n - 1], (double) sum / n);
    }

    /** Nearest-rank percentile of sorted values. */
    static int percentile(int[] sorted, int p) {
        int rank = (int) (((long) p * sorted.length + 99) / 100);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "min %d, median %s, p95 %d, max %d", min,
                median == Math.rint(median) ? String.valueOf((long) median) : String.valueOf(median), p95, max);
    }
}

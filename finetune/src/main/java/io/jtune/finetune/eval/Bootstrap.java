package io.jtune.finetune.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Paired bootstrap of the difference in means between two scorings of the same cases: resample
 * the cases with replacement (the same draw for both), take the mean difference of each resample,
 * and read the percentile interval. Seeded, so the interval is the same on every run. Cases where
 * either score is NaN (the metric does not apply) are left out before resampling.
 */
public final class Bootstrap {
    /** Resamples when none are given: enough for a stable 95 % interval on a few hundred cases. */
    public static final int RESAMPLES = 2000;

    private Bootstrap() {
    }

    /**
     * @param mean the observed mean difference (after - before)
     * @param low the lower end of the interval
     * @param high the upper end
     * @param n the number of cases it is over
     */
    public record Interval(double mean, double low, double high, int n) {
        /** Whether the interval lies wholly above or wholly below zero. */
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }

    public static Interval pairedDifference(double[] before, double[] after, long seed) {
        return pairedDifference(before, after, RESAMPLES, 0.95, seed);
    }

    public static Interval pairedDifference(double[] before, double[] after, int resamples, double level, long seed) {
        if (before.length != after.length) {
            throw new IllegalArgumentException("paired scores need equal lengths: " + before.length + " and " + after.length);
        }
        if (resamples < 1 || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException("resamples must be positive and the level in (0, 1): " + resamples + ", " + level);
        }
        double[] d = new double[before.length];
        int n = 0;
        for (int i = 0; i < before.length; i++) {
            if (!Double.isNaN(before[i]) && !Double.isNaN(after[i])) {
                d[n++] = after[i] - before[i];
            }
        }
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double observed = mean(d, n);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += d[rnd.nextInt(n)];
            }
            means[r] = s / n;
        }
        Arrays.sort(means);
        double tail = (1 - level) / 2;
        return new Interval(observed, quantile(means, tail), quantile(means, 1 - tail), n);
    }

    private static double mean(double[] d, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += d[i];
        }
        return s / n;
    }

    /** Linear interpolation between order statistics (numpy's default). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}

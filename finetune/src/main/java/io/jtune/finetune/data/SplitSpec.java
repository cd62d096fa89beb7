package io.jtune.finetune.data;

/**
 * How to divide examples into train, validation and test. Each of validation and test is given
 * either as a ratio of all examples ({@code 0 <= ratio < 1}, rounded to the nearest count, and at
 * least one when the ratio is above zero) or as an exact count; train receives the rest and must
 * not end up empty. A count, when not negative, wins over the ratio.
 */
public record SplitSpec(double validationRatio, int validationCount, double testRatio, int testCount, long seed) {
    /** All examples in train. */
    public static final SplitSpec NONE = new SplitSpec(0, -1, 0, -1, 0);

    public SplitSpec {
        if (!(validationRatio >= 0 && validationRatio < 1) || !(testRatio >= 0 && testRatio < 1)) {
            throw new IllegalArgumentException("split ratios must be at least 0 and below 1, got validation "
                    + validationRatio + " and test " + testRatio);
        }
    }

    /** A validation split of {@code ratio} of the examples, shuffled with {@code seed}. */
    public static SplitSpec ratio(double validationRatio, long seed) {
        return new SplitSpec(validationRatio, -1, 0, -1, seed);
    }

    /** Validation and test splits of the given ratios, shuffled with {@code seed}. */
    public static SplitSpec ratios(double validationRatio, double testRatio, long seed) {
        return new SplitSpec(validationRatio, -1, testRatio, -1, seed);
    }

    /** Validation and test splits of exactly the given sizes, shuffled with {@code seed}. */
    public static SplitSpec counts(int validationCount, int testCount, long seed) {
        if (validationCount < 0 || testCount < 0) {
            throw new IllegalArgumentException("split counts must not be negative");
        }
        return new SplitSpec(0, validationCount, 0, testCount, seed);
    }

    int validationSize(int total) {
        return size(validationRatio, validationCount, total);
    }

    int testSize(int total) {
        return size(testRatio, testCount, total);
    }

    private static int size(double ratio, int count, int total) {
        if (count >= 0) {
            return count;
        }
        if (ratio == 0 || total == 0) {
            return 0;
        }
        return Math.max(1, (int) Math.round(ratio * total));
    }
}

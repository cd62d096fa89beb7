package io.jtune.finetune.eval;

import java.util.List;

/**
 * How an evaluation runs.
 *
 * @param metrics the columns, in order
 * @param maxNewTokens the most tokens generated per answer
 * @param batchSize prompts generated together (sorted by length so a batch pads little)
 * @param referenceLoss whether to compute the reference answer's loss (one forward pass per batch)
 * @param temperature 0 for greedy decoding (the default: comparable runs), else sampling
 * @param seed the sampling seed, and the bootstrap's
 */
public record EvalConfig(List<Metric> metrics, int maxNewTokens, int batchSize, boolean referenceLoss,
        double temperature, long seed) {
    public EvalConfig {
        metrics = List.copyOf(metrics);
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("an evaluation needs at least one metric");
        }
        if (maxNewTokens < 1 || batchSize < 1 || temperature < 0) {
            throw new IllegalArgumentException("max new tokens and batch size must be positive and temperature at"
                    + " least 0: " + maxNewTokens + ", " + batchSize + ", " + temperature);
        }
        long names = metrics.stream().map(Metric::name).distinct().count();
        if (names != metrics.size()) {
            throw new IllegalArgumentException("two metrics share a name: " + metrics);
        }
    }

    /** Greedy, 128 new tokens, batches of 16, the default metrics with the reference loss. */
    public static EvalConfig defaults() {
        return new EvalConfig(Metrics.parse(Metrics.DEFAULT), 128, 16, true, 0, 42);
    }

    /** These metrics; the reference loss is computed when they include {@code loss}. */
    public EvalConfig withMetrics(List<Metric> m) {
        boolean loss = m.stream().anyMatch(x -> x.name().equals("loss"));
        return new EvalConfig(m, maxNewTokens, batchSize, loss, temperature, seed);
    }

    public EvalConfig withMetrics(String list) {
        return withMetrics(Metrics.parse(list));
    }

    public EvalConfig withMaxNewTokens(int n) {
        return new EvalConfig(metrics, n, batchSize, referenceLoss, temperature, seed);
    }

    public EvalConfig withBatchSize(int n) {
        return new EvalConfig(metrics, maxNewTokens, n, referenceLoss, temperature, seed);
    }

    public EvalConfig withReferenceLoss(boolean on) {
        return new EvalConfig(metrics, maxNewTokens, batchSize, on, temperature, seed);
    }

    public EvalConfig withSampling(double t, long s) {
        return new EvalConfig(metrics, maxNewTokens, batchSize, referenceLoss, t, s);
    }
}

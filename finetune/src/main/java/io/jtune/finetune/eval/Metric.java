package io.jtune.finetune.eval;

import java.util.Objects;
import java.util.function.ToDoubleBiFunction;

/**
 * A per-example score, a column of the evaluation. The aggregate is the mean over the cases where
 * the score applies; a metric returns NaN where it does not (a verdict accuracy for a case without
 * a verdict). Custom metrics are Java functions: {@code Metric.of("mentions_cap", (c, p) ->
 * p.text().contains("cap") ? 1 : 0)}.
 */
public interface Metric {
    /** The column name. */
    String name();

    /** The score of one prediction, or NaN where the metric does not apply. */
    double score(EvalCase c, Prediction p);

    /** Whether a higher score is better (latency is the exception); regressions are read by it. */
    default boolean higherIsBetter() {
        return true;
    }

    static Metric of(String name, ToDoubleBiFunction<EvalCase, Prediction> score) {
        return of(name, true, score);
    }

    static Metric of(String name, boolean higherIsBetter, ToDoubleBiFunction<EvalCase, Prediction> score) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(score, "score");
        return new Metric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double score(EvalCase c, Prediction p) {
                return score.applyAsDouble(c, p);
            }

            @Override
            public boolean higherIsBetter() {
                return higherIsBetter;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}

package io.jtune.finetune.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Two evaluations of the same cases with the same metrics (before and after training, or adapter
 * off and on): each metric's change with a seeded paired-bootstrap 95 % interval, and the
 * per-example differences with regressions first.
 */
public final class Comparison {
    private final EvalResult before;
    private final EvalResult after;
    private final Map<String, Bootstrap.Interval> intervals = new LinkedHashMap<>();

    private Comparison(EvalResult before, EvalResult after, long seed) {
        this.before = before;
        this.after = after;
        for (Metric m : after.metrics()) {
            intervals.put(m.name(), Bootstrap.pairedDifference(before.scores(m.name()), after.scores(m.name()), seed));
        }
    }

    /** Compares two results; they must hold the same case ids in the same order and the same metrics. */
    public static Comparison of(EvalResult before, EvalResult after, long seed) {
        List<String> a = before.cases().stream().map(EvalCase::id).toList();
        List<String> b = after.cases().stream().map(EvalCase::id).toList();
        if (!a.equals(b)) {
            throw new IllegalArgumentException("the two evaluations are not over the same cases (" + a.size() + " and "
                    + b.size() + " cases" + (a.size() == b.size() ? ", in another order or with other ids" : "") + ")");
        }
        List<String> ma = before.metrics().stream().map(Metric::name).toList();
        List<String> mb = after.metrics().stream().map(Metric::name).toList();
        if (!ma.equals(mb)) {
            throw new IllegalArgumentException("the two evaluations have different metrics: " + ma + " and " + mb);
        }
        return new Comparison(before, after, seed);
    }

    public EvalResult before() {
        return before;
    }

    public EvalResult after() {
        return after;
    }

    /** The change of {@code metric} (after - before) with its interval. */
    public Bootstrap.Interval difference(String metric) {
        Bootstrap.Interval i = intervals.get(metric);
        if (i == null) {
            throw new IllegalArgumentException("no metric '" + metric + "'; the comparison has " + intervals.keySet());
        }
        return i;
    }

    /** One row per metric: before, after, difference, the 95 % interval of the difference, n. */
    public Table table() {
        StringColumn name = StringColumn.create("metric");
        DoubleColumn b = DoubleColumn.create(before.label());
        DoubleColumn a = DoubleColumn.create(after.label());
        DoubleColumn d = DoubleColumn.create("difference");
        DoubleColumn lo = DoubleColumn.create("ci95_low");
        DoubleColumn hi = DoubleColumn.create("ci95_high");
        IntColumn n = IntColumn.create("n");
        for (Metric m : after.metrics()) {
            Bootstrap.Interval i = intervals.get(m.name());
            name.append(m.name());
            b.append(before.mean(m.name()));
            a.append(after.mean(m.name()));
            d.append(i.mean());
            lo.append(i.low());
            hi.append(i.high());
            n.append(i.n());
        }
        if (!Double.isNaN(before.perplexity()) && !Double.isNaN(after.perplexity())) {
            name.append("perplexity");
            b.append(before.perplexity());
            a.append(after.perplexity());
            d.append(after.perplexity() - before.perplexity());
            lo.appendMissing();
            hi.appendMissing();
            n.append(after.cases().size());
        }
        return Table.create("before / after", name, b, a, d, lo, hi, n);
    }

    /**
     * Whether case {@code i} got worse on {@code metric} (by its direction); false where the metric
     * does not apply.
     */
    public boolean regressed(String metric, int i) {
        double x = before.scores(metric)[i];
        double y = after.scores(metric)[i];
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return false;
        }
        boolean up = after.metrics().stream().filter(m -> m.name().equals(metric)).findFirst().orElseThrow()
                .higherIsBetter();
        return up ? y < x : y > x;
    }

    /**
     * One row per case: id, question, expected, both answers, each metric before and after, and
     * {@code change} ("regressed", "improved", "same") judged on {@code keyMetric}; regressions first,
     * then improvements, then the rest, each in case order.
     */
    public Table perExample(String keyMetric) {
        difference(keyMetric);
        Table t = Table.create("per example", StringColumn.create("id"), StringColumn.create("change"),
                StringColumn.create("question"), StringColumn.create("expected"),
                StringColumn.create(before.label()), StringColumn.create(after.label()));
        List<String> names = after.metrics().stream().map(Metric::name).toList();
        for (String m : names) {
            t.addColumns(DoubleColumn.create(m + " before"), DoubleColumn.create(m + " after"));
        }
        List<Integer> order = new ArrayList<>();
        for (String kind : List.of("regressed", "improved", "same")) {
            for (int i = 0; i < before.cases().size(); i++) {
                if (change(keyMetric, i).equals(kind)) {
                    order.add(i);
                }
            }
        }
        for (int i : order) {
            EvalCase c = after.cases().get(i);
            t.stringColumn("id").append(c.id());
            t.stringColumn("change").append(change(keyMetric, i));
            t.stringColumn("question").append(c.question());
            t.stringColumn("expected").append(c.reference());
            t.stringColumn(before.label()).append(before.predictions().get(i).text());
            t.stringColumn(after.label()).append(after.predictions().get(i).text());
            for (String m : names) {
                t.doubleColumn(m + " before").append(before.scores(m)[i]);
                t.doubleColumn(m + " after").append(after.scores(m)[i]);
            }
        }
        return t;
    }

    /** The per-example rows that regressed on {@code keyMetric}. */
    public Table regressions(String keyMetric) {
        Table all = perExample(keyMetric);
        return all.where(all.stringColumn("change").isEqualTo("regressed")).setName("regressions");
    }

    private String change(String metric, int i) {
        if (regressed(metric, i)) {
            return "regressed";
        }
        double x = before.scores(metric)[i];
        double y = after.scores(metric)[i];
        return !Double.isNaN(x) && !Double.isNaN(y) && x != y ? "improved" : "same";
    }
}

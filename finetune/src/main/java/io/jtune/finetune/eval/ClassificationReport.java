package io.jtune.finetune.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Accuracy, per-class precision and recall, and the confusion matrix of labelled answers. An
 * answer from which no label could be read is counted under {@link #NO_LABEL}: it is wrong for
 * accuracy and recall, and is a column of the matrix (not a class of its own).
 */
public final class ClassificationReport {
    public static final String NO_LABEL = "(no label)";

    private final List<String> classes;
    private final Map<String, Map<String, Integer>> matrix = new LinkedHashMap<>();
    private final int n;
    private final int correct;

    private ClassificationReport(List<String> classes, List<String> expected, List<Optional<String>> predicted) {
        this.classes = List.copyOf(classes);
        for (String c : classes) {
            Map<String, Integer> row = new LinkedHashMap<>();
            for (String p : classes) {
                row.put(p, 0);
            }
            row.put(NO_LABEL, 0);
            matrix.put(c, row);
        }
        int right = 0;
        for (int i = 0; i < expected.size(); i++) {
            String e = expected.get(i);
            String p = predicted.get(i).orElse(NO_LABEL);
            matrix.get(e).merge(matrix.get(e).containsKey(p) ? p : NO_LABEL, 1, Integer::sum);
            right += e.equals(p) ? 1 : 0;
        }
        this.n = expected.size();
        this.correct = right;
    }

    /**
     * @param expected the reference label of each case
     * @param predicted the label read from each answer, empty where none could be
     */
    public static ClassificationReport of(List<String> expected, List<Optional<String>> predicted) {
        if (expected.size() != predicted.size()) {
            throw new IllegalArgumentException(expected.size() + " expected labels but " + predicted.size() + " predictions");
        }
        Set<String> classes = new LinkedHashSet<>(expected.stream().sorted().toList());
        predicted.forEach(p -> p.filter(l -> !l.equals(NO_LABEL)).ifPresent(classes::add));
        return new ClassificationReport(new ArrayList<>(classes), expected, predicted);
    }

    public List<String> classes() {
        return classes;
    }

    public int size() {
        return n;
    }

    public double accuracy() {
        return n == 0 ? Double.NaN : correct / (double) n;
    }

    /** How many cases of class {@code expected} got the answer {@code predicted} (or {@link #NO_LABEL}). */
    public int count(String expected, String predicted) {
        Map<String, Integer> row = matrix.get(expected);
        return row == null ? 0 : row.getOrDefault(predicted, 0);
    }

    /** Of the answers labelled {@code c}, the share that were right; NaN if none was labelled so. */
    public double precision(String c) {
        int said = 0;
        for (String e : classes) {
            said += count(e, c);
        }
        return said == 0 ? Double.NaN : count(c, c) / (double) said;
    }

    /** Of the cases of class {@code c}, the share answered {@code c}; NaN if there are none. */
    public double recall(String c) {
        int total = matrix.get(c).values().stream().mapToInt(Integer::intValue).sum();
        return total == 0 ? Double.NaN : count(c, c) / (double) total;
    }

    /** One row per class: support, precision, recall, F1. */
    public Table perClass() {
        StringColumn cls = StringColumn.create("class");
        IntColumn support = IntColumn.create("support");
        DoubleColumn precision = DoubleColumn.create("precision");
        DoubleColumn recall = DoubleColumn.create("recall");
        DoubleColumn f1 = DoubleColumn.create("f1");
        for (String c : classes) {
            double p = precision(c);
            double r = recall(c);
            cls.append(c);
            support.append(matrix.get(c).values().stream().mapToInt(Integer::intValue).sum());
            precision.append(p);
            recall.append(r);
            f1.append(Double.isNaN(p) || Double.isNaN(r) || p + r == 0 ? Double.NaN : 2 * p * r / (p + r));
        }
        return Table.create("per class", cls, support, precision, recall, f1);
    }

    /** Rows: the expected class; columns: the answer's class, then {@link #NO_LABEL}. */
    public Table confusionMatrix() {
        Table t = Table.create("confusion matrix", StringColumn.create("expected \\ predicted"));
        List<String> columns = new ArrayList<>(classes);
        columns.add(NO_LABEL);
        for (String c : columns) {
            t.addColumns(IntColumn.create(c));
        }
        for (String e : classes) {
            t.stringColumn(0).append(e);
            for (String c : columns) {
                t.intColumn(c).append(count(e, c));
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "accuracy %.3f (%d/%d)", accuracy(), correct, n);
    }
}

package io.jtune.finetune.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The answers and scores of one evaluation: per case and aggregated, as Tablesaw tables, CSV and
 * JSONL.
 */
public final class EvalResult {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String label;
    private final List<EvalCase> cases;
    private final List<Prediction> predictions;
    private final List<Metric> metrics;
    private final Map<String, double[]> scores = new LinkedHashMap<>();
    private final double seconds;

    private EvalResult(String label, List<EvalCase> cases, List<Prediction> predictions, List<Metric> metrics,
            double seconds) {
        this.label = label;
        this.cases = List.copyOf(cases);
        this.predictions = List.copyOf(predictions);
        this.metrics = List.copyOf(metrics);
        this.seconds = seconds;
        for (Metric m : metrics) {
            double[] s = new double[cases.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = m.score(cases.get(i), predictions.get(i));
            }
            scores.put(m.name(), s);
        }
    }

    /** Scores {@code predictions} (one per case, in order) with {@code metrics}. */
    public static EvalResult score(String label, List<EvalCase> cases, List<Prediction> predictions,
            List<Metric> metrics, double seconds) {
        if (cases.size() != predictions.size()) {
            throw new IllegalArgumentException(cases.size() + " cases but " + predictions.size() + " predictions");
        }
        return new EvalResult(label, cases, predictions, metrics, seconds);
    }

    public String label() {
        return label;
    }

    public List<EvalCase> cases() {
        return cases;
    }

    public List<Prediction> predictions() {
        return predictions;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    /** The per-case scores of {@code metric} (NaN where it does not apply). */
    public double[] scores(String metric) {
        double[] s = scores.get(metric);
        if (s == null) {
            throw new IllegalArgumentException("no metric '" + metric + "' in this result; it has " + scores.keySet());
        }
        return s.clone();
    }

    /** The mean of {@code metric} over the cases where it applies; NaN if it applies to none. */
    public double mean(String metric) {
        double sum = 0;
        int n = 0;
        for (double v : scores(metric)) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** How many cases {@code metric} applies to. */
    public int count(String metric) {
        int n = 0;
        for (double v : scores(metric)) {
            n += Double.isNaN(v) ? 0 : 1;
        }
        return n;
    }

    /** exp of the reference loss averaged over all reference tokens; NaN when no loss was computed. */
    public double perplexity() {
        double sum = 0;
        long tokens = 0;
        for (Prediction p : predictions) {
            if (!Double.isNaN(p.referenceLoss())) {
                sum += p.referenceLoss() * p.referenceTokens();
                tokens += p.referenceTokens();
            }
        }
        return tokens == 0 ? Double.NaN : Math.exp(sum / tokens);
    }

    public double seconds() {
        return seconds;
    }

    public double examplesPerSecond() {
        return seconds <= 0 ? Double.NaN : cases.size() / seconds;
    }

    /** Generated tokens over the whole run's time. */
    public double generatedTokensPerSecond() {
        long tokens = predictions.stream().mapToLong(Prediction::generatedTokens).sum();
        return seconds <= 0 ? Double.NaN : tokens / seconds;
    }

    /** Accuracy, precision/recall and confusion matrix of the labels {@code labeler} reads. */
    public ClassificationReport classification(Function<String, Optional<String>> labeler) {
        List<String> expected = new ArrayList<>();
        List<Optional<String>> got = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Optional<String> e = labeler.apply(cases.get(i).reference());
            if (e.isPresent()) {
                expected.add(e.get());
                got.add(labeler.apply(predictions.get(i).text()));
            }
        }
        return ClassificationReport.of(expected, got);
    }

    /** The legal verdicts as a classification ({@link Metrics#verdictLabel}). */
    public ClassificationReport verdicts() {
        return classification(Metrics::verdictLabel);
    }

    /** One row per metric: its mean and the number of cases it applies to; then perplexity and speed. */
    public Table summary() {
        StringColumn name = StringColumn.create("metric");
        DoubleColumn value = DoubleColumn.create(label);
        IntColumn n = IntColumn.create("n");
        for (Metric m : metrics) {
            name.append(m.name());
            value.append(mean(m.name()));
            n.append(count(m.name()));
        }
        if (!Double.isNaN(perplexity())) {
            name.append("perplexity");
            value.append(perplexity());
            n.append(cases.size());
        }
        name.append("examples_per_s");
        value.append(examplesPerSecond());
        n.append(cases.size());
        name.append("generated_tokens_per_s");
        value.append(generatedTokensPerSecond());
        n.append(cases.size());
        return Table.create(label, name, value, n);
    }

    /** One row per case: id, tags, question, expected, answer, then each metric. */
    public Table perExample() {
        Table t = Table.create(label + " per example", StringColumn.create("id"), StringColumn.create("question"),
                StringColumn.create("expected"), StringColumn.create("answer"));
        List<String> tagNames = cases.stream().flatMap(c -> c.tags().keySet().stream()).distinct().toList();
        for (String tag : tagNames) {
            t.addColumns(StringColumn.create(tag));
        }
        for (Metric m : metrics) {
            t.addColumns(DoubleColumn.create(m.name()));
        }
        for (int i = 0; i < cases.size(); i++) {
            EvalCase c = cases.get(i);
            t.stringColumn("id").append(c.id());
            t.stringColumn("question").append(c.question());
            t.stringColumn("expected").append(c.reference());
            t.stringColumn("answer").append(predictions.get(i).text());
            for (String tag : tagNames) {
                t.stringColumn(tag).append(c.tags().getOrDefault(tag, ""));
            }
            for (Metric m : metrics) {
                t.doubleColumn(m.name()).append(scores.get(m.name())[i]);
            }
        }
        return t;
    }

    /** The per-example table as CSV, written to a temp file and renamed. */
    public void saveCsv(Path file) throws IOException {
        Path tmp = temp(file);
        perExample().write().csv(tmp.toFile());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** One JSON object per case (id, tags, question, expected, answer, tokens, latency, loss, scores). */
    public void saveJsonl(Path file) throws IOException {
        Path tmp = temp(file);
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (int i = 0; i < cases.size(); i++) {
                EvalCase c = cases.get(i);
                Prediction p = predictions.get(i);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", c.id());
                row.put("model", label);
                row.put("tags", c.tags());
                row.put("question", c.question());
                row.put("expected", c.reference());
                row.put("answer", p.text());
                row.put("generated_tokens", p.generatedTokens());
                row.put("latency_ms", round(p.latencyMs()));
                row.put("reference_loss", Double.isNaN(p.referenceLoss()) ? null : p.referenceLoss());
                Map<String, Object> s = new LinkedHashMap<>();
                for (Metric m : metrics) {
                    double v = scores.get(m.name())[i];
                    s.put(m.name(), Double.isNaN(v) ? null : v);
                }
                row.put("scores", s);
                w.write(JSON.writeValueAsString(row));
                w.write('\n');
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static Path temp(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(label).append(": ").append(cases.size()).append(" cases");
        for (Metric m : metrics) {
            b.append(String.format(Locale.ROOT, ", %s %.4f", m.name(), mean(m.name())));
        }
        return b.toString();
    }
}

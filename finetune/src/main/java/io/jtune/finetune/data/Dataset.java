package io.jtune.finetune.data;

import io.jtune.finetune.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Loaded, validated examples divided into train, validation and test (either of the last two may
 * be empty), with the {@link LoadReport} of what was left out.
 */
public final class Dataset {
    private final Map<Split, List<Example>> splits;
    private final LoadReport report;

    /** A data set of the given splits (a missing split is empty) and load report. */
    public Dataset(Map<Split, List<Example>> splits, LoadReport report) {
        EnumMap<Split, List<Example>> copy = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            copy.put(s, List.copyOf(splits.getOrDefault(s, List.of())));
        }
        this.splits = copy;
        this.report = Objects.requireNonNull(report, "report");
    }

    /** The training examples, in input order. */
    public List<Example> train() {
        return splits.get(Split.TRAIN);
    }

    /** The validation examples, in input order; empty when no validation split was asked for. */
    public List<Example> validation() {
        return splits.get(Split.VALIDATION);
    }

    /** The test examples, in input order; empty when no test split was asked for. */
    public List<Example> test() {
        return splits.get(Split.TEST);
    }

    /** The examples of one split. */
    public List<Example> get(Split split) {
        return splits.get(split);
    }

    /** Every example, train then validation then test. */
    public List<Example> all() {
        List<Example> all = new ArrayList<>();
        for (Split s : Split.values()) {
            all.addAll(splits.get(s));
        }
        return all;
    }

    /** Rows read, rows skipped with their problems, and duplicates removed. */
    public LoadReport report() {
        return report;
    }

    /**
     * All splits as one table with columns {@code split}, {@code source}, {@code system},
     * {@code user} (first user turn), {@code assistant} (last assistant turn) and {@code turns}.
     */
    public Table table() {
        return table(Split.values());
    }

    /** One split as a table, with the columns of {@link #table()}. */
    public Table table(Split split) {
        return table(new Split[] {split});
    }

    private Table table(Split[] which) {
        StringColumn split = StringColumn.create("split");
        StringColumn source = StringColumn.create("source");
        StringColumn system = StringColumn.create("system");
        StringColumn user = StringColumn.create("user");
        StringColumn assistant = StringColumn.create("assistant");
        IntColumn turns = IntColumn.create("turns");
        for (Split s : which) {
            for (Example e : splits.get(s)) {
                split.append(s.label());
                source.append(e.source().toString());
                system.append(firstOf(e, "system"));
                user.append(firstOf(e, "user"));
                assistant.append(lastOf(e, "assistant"));
                turns.append(e.messages().size());
            }
        }
        return Table.create("dataset", split, source, system, user, assistant, turns);
    }

    /**
     * Token-length statistics of every example in all splits, counted with {@code tokenizer}; see
     * {@link DatasetStats} for what prompt, response and total mean.
     */
    public DatasetStats describe(Tokenizer tokenizer, int maxLen) {
        List<Example> all = all();
        int[] prompt = new int[all.size()];
        int[] response = new int[all.size()];
        int[] total = new int[all.size()];
        List<Integer> totals = new ArrayList<>();
        int truncated = 0;
        for (int i = 0; i < all.size(); i++) {
            Example e = all.get(i);
            int last = lastIndexOf(e, "assistant");
            StringBuilder p = new StringBuilder();
            for (int m = 0; m < last; m++) {
                if (m > 0) {
                    p.append('\n');
                }
                p.append(e.messages().get(m).content());
            }
            prompt[i] = p.isEmpty() ? 0 : tokenizer.encode(p.toString(), false).length;
            response[i] = last < 0 ? 0 : tokenizer.encode(e.messages().get(last).content(), false).length;
            total[i] = prompt[i] + response[i];
            totals.add(total[i]);
            if (total[i] > maxLen) {
                truncated++;
            }
        }
        return new DatasetStats(LengthStats.of(prompt), LengthStats.of(response), LengthStats.of(total),
                maxLen, truncated, totals);
    }

    private static String firstOf(Example e, String role) {
        for (Message m : e.messages()) {
            if (m.role().equals(role)) {
                return m.content();
            }
        }
        return "";
    }

    private static String lastOf(Example e, String role) {
        int i = lastIndexOf(e, role);
        return i < 0 ? "" : e.messages().get(i).content();
    }

    private static int lastIndexOf(Example e, String role) {
        for (int i = e.messages().size() - 1; i >= 0; i--) {
            if (e.messages().get(i).role().equals(role)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "Dataset: " + train().size() + " train, " + validation().size() + " validation, "
                + test().size() + " test (" + report + ")";
    }
}

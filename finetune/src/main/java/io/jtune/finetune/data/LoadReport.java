package io.jtune.finetune.data;

import java.util.List;

/**
 * What happened while loading: how many rows were read, how many were left out under
 * {@link LoadPolicy#SKIP} and every problem that caused it (a row may have several), and the
 * duplicates removed.
 */
public record LoadReport(int rowsRead, int rowsSkipped, List<ValidationProblem> problems, List<Duplicate> duplicates) {
    public LoadReport {
        problems = List.copyOf(problems);
        duplicates = List.copyOf(duplicates);
    }

    /** One line: rows read, rows skipped, duplicates removed. */
    @Override
    public String toString() {
        return rowsRead + " rows read, " + rowsSkipped + " skipped (" + problems.size() + " problems), "
                + duplicates.size() + " duplicates removed";
    }
}

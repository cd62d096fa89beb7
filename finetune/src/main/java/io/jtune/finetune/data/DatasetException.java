package io.jtune.finetune.data;

import java.util.List;

/**
 * A data set could not be loaded. The message lists the problems one per line, up to a limit, then
 * {@code ... and N more}; {@link #problems()} holds all of them.
 */
public final class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<ValidationProblem> problems;

    public DatasetException(String headline, List<ValidationProblem> problems, int maxListed) {
        super(render(headline, problems, maxListed));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in input order. */
    public List<ValidationProblem> problems() {
        return problems;
    }

    static String render(String headline, List<ValidationProblem> problems, int maxListed) {
        StringBuilder sb = new StringBuilder(headline);
        int shown = Math.min(problems.size(), Math.max(0, maxListed));
        for (int i = 0; i < shown; i++) {
            sb.append('\n').append(problems.get(i));
        }
        if (problems.size() > shown) {
            sb.append("\n... and ").append(problems.size() - shown).append(" more");
        }
        return sb.toString();
    }
}

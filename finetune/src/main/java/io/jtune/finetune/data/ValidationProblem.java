package io.jtune.finetune.data;

import java.util.Objects;

/**
 * One thing wrong with the input, printed as {@code file:line: field: what is wrong}. {@code field}
 * is empty for problems with a whole line or file (invalid JSON, bad bytes, no examples); a
 * {@code line} of 0 or less means the problem concerns the whole file and is printed as
 * {@code file: what is wrong}.
 */
public record ValidationProblem(SourceRef source, String field, String message) {
    public ValidationProblem {
        Objects.requireNonNull(source, "source");
        field = field == null ? "" : field;
        Objects.requireNonNull(message, "message");
    }

    /** A problem with the whole file, such as "no examples". */
    public static ValidationProblem ofFile(String file, String message) {
        return new ValidationProblem(new SourceRef(file, 0), "", message);
    }

    @Override
    public String toString() {
        String where = source.line() > 0 ? source.toString() : source.file();
        return field.isEmpty() ? where + ": " + message : where + ": " + field + ": " + message;
    }
}

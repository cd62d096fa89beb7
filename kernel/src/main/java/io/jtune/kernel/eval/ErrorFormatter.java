package io.jtune.kernel.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Turns compiler diagnostics and exceptions of cells into Jupyter errors: the offending span is
 * marked under its line, and stack traces are cut where the kernel's own frames begin.
 */
final class ErrorFormatter {
    /** The ename of a compile error. */
    static final String COMPILE_ERROR = "CompilationException";

    private ErrorFormatter() {}

    /**
     * A compile error. {@code source} is the snippet, {@code firstLine} the cell line it starts on
     * (1-based).
     */
    static CellError compileError(String source, int firstLine, List<Diag> diags) {
        return compileErrorAt(source, firstLine, diags.stream().filter(Diag::isError)
                .map(d -> new Span(d.getStartPosition(), d.getEndPosition(), d.getMessage(Locale.ROOT))).toList());
    }

    /** Where a compile error lies in a snippet, and the compiler's message. */
    record Span(long start, long end, String message) {}

    /** A compile error of {@code spans}, all of them errors, positioned in {@code source}. */
    static CellError compileErrorAt(String source, int firstLine, List<Span> spans) {
        List<String> tb = new ArrayList<>();
        String first = null;
        for (Span d : spans) {
            // JShell's wrapper class is no place a user knows: drop "location: class" lines naming it
            String message = d.message().replaceAll("\n\\s*location: class\\s*(\\$JShell\\S*)?\\s*(?=\n|$)", "");
            if (first == null) {
                first = message.lines().findFirst().orElse(message);
            }
            int start = (int) Math.max(0, Math.min(d.start(), source.length()));
            int end = (int) Math.max(start, Math.min(d.end(), source.length()));
            int lineStart = source.lastIndexOf('\n', start - 1) + 1;
            int lineEnd = source.indexOf('\n', start);
            if (lineEnd < 0) {
                lineEnd = source.length();
            }
            int lineNo = firstLine + (int) source.substring(0, lineStart).chars().filter(c -> c == '\n').count();
            tb.add("cell line " + lineNo + ": error: " + message);
            int spanEnd = Math.min(end, lineEnd);
            marked(source.substring(lineStart, lineEnd), start - lineStart, Math.max(1, spanEnd - start), tb);
        }
        if (first == null) {
            first = "the snippet was rejected";
        }
        return new CellError(COMPILE_ERROR, first, tb);
    }

    /** Lines longer than this are shown cut around the error (a pasted document in a string literal). */
    static final int MAX_LINE = 160;
    private static final String CUT = "...";

    /**
     * Adds {@code line} and under it the marker of {@code length} characters from {@code column};
     * a line over {@link #MAX_LINE} characters is cut to a window around the start of the span,
     * with {@code ...} where text was left out and the full length said after it.
     */
    static void marked(String line, int column, int length, List<String> tb) {
        if (line.length() <= MAX_LINE) {
            tb.add(line);
            tb.add(" ".repeat(column) + "^".repeat(length));
            return;
        }
        int from = Math.max(0, Math.min(column - MAX_LINE / 4, line.length() - MAX_LINE));
        int to = Math.min(line.length(), from + MAX_LINE);
        String head = from > 0 ? CUT : "";
        String tail = to < line.length() ? CUT + " (the line has " + line.length() + " characters)" : "";
        tb.add(head + line.substring(from, to) + tail);
        int shown = Math.max(1, Math.min(length, to - column));
        tb.add(" ".repeat(head.length() + column - from) + "^".repeat(shown));
    }

    /** An exception thrown by cell code; snippet ids in JShell's trace become cell lines. */
    static CellError exception(JShellException ex, Map<String, Integer> snippetLines) {
        String ename;
        if (ex instanceof EvalException ee) {
            ename = ee.getExceptionClassName();
        } else if (ex instanceof UnresolvedReferenceException ure) {
            ename = "UnresolvedReferenceException";
            String what = ure.getSnippet().toString();
            return new CellError(ename, "a snippet was called before everything it uses is defined",
                    List.of(ename + ": " + what));
        } else {
            ename = ex.getClass().getName();
        }
        String evalue = ex.getMessage() == null ? "" : ex.getMessage();
        List<String> tb = new ArrayList<>();
        appendTrace(tb, ename, evalue, ex, snippetLines, "");
        return new CellError(ename, evalue, tb);
    }

    private static void appendTrace(List<String> tb, String ename, String evalue, Throwable t,
            Map<String, Integer> snippetLines, String prefix) {
        tb.add(prefix + ename + (evalue.isEmpty() ? "" : ": " + evalue));
        for (StackTraceElement e : t.getStackTrace()) {
            if (isKernelFrame(e)) {
                break;
            }
            tb.add("\tat " + frame(e, snippetLines));
        }
        Throwable cause = t.getCause();
        if (cause != null && cause != t) {
            String cname = cause instanceof EvalException ee ? ee.getExceptionClassName() : cause.getClass().getName();
            appendTrace(tb, cname, cause.getMessage() == null ? "" : cause.getMessage(), cause, snippetLines,
                    "Caused by: ");
        }
    }

    static boolean isKernelFrame(StackTraceElement e) {
        String c = e.getClassName();
        return c.startsWith("jdk.internal.reflect.") || c.startsWith("java.lang.reflect.Method")
                || c.startsWith("io.jtune.kernel.eval.") || c.startsWith("io.jtune.kernel.api.") || c.startsWith("jdk.jshell.");
    }

    private static String frame(StackTraceElement e, Map<String, Integer> snippetLines) {
        String file = e.getFileName();
        if (file != null && file.startsWith("#")) {
            Integer base = snippetLines.get(file.substring(1));
            String where = base != null && e.getLineNumber() > 0
                    ? "cell line " + (base + e.getLineNumber() - 1)
                    : "snippet " + file + (e.getLineNumber() > 0 ? ":" + e.getLineNumber() : "");
            String method = e.getMethodName();
            String cls = e.getClassName().replaceFirst("^REPL\\.\\$JShell\\$\\d+\\$?", "");
            String name = cls.isEmpty() ? method : cls + "." + method;
            return (name.isEmpty() || name.equals("do_it$") ? "" : name) + "(" + where + ")";
        }
        return e.toString();
    }
}

package io.jtune.kernel.display.builtin;

import io.jtune.kernel.api.HtmlEscaper;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderer;
import java.util.Locale;
import tech.tablesaw.columns.Column;
import tech.tablesaw.table.Relation;

/**
 * Built-in renderer of Tablesaw tables ({@link tech.tablesaw.api.Table} and other
 * {@link Relation}s). {@code text/html} is a table with the column names and types in the
 * header, at most {@link #maxRows()} rows (the first and last halves, with a "…" row between),
 * and a caption with the table's name and shape such as "1,234 rows × 5 columns".
 * {@code text/plain} is Tablesaw's own printout under the same row limit, then the shape.
 */
public final class TablesawRenderer implements Renderer {
    /** Rows shown when nobody called {@link #setMaxRows(int)}. */
    public static final int DEFAULT_MAX_ROWS = 20;

    private static volatile int maxRows = DEFAULT_MAX_ROWS;

    /** Shows at most {@code rows} rows of each table from now on (at least 1). */
    public static void setMaxRows(int rows) {
        if (rows < 1) throw new IllegalArgumentException("maxRows must be at least 1, was " + rows);
        maxRows = rows;
    }

    /** The row limit now in force. */
    public static int maxRows() {
        return maxRows;
    }

    @Override
    public boolean supports(Object value) {
        return value instanceof Relation;
    }

    @Override
    public MimeBundle render(Object value) {
        Relation table = (Relation) value;
        int limit = maxRows;
        String shape = shape(table);
        String text = table.print(limit).stripTrailing() + "\n" + shape;
        return MimeBundle.of(MimeBundle.TEXT_HTML, html(table, limit, shape)).put(MimeBundle.TEXT_PLAIN, text);
    }

    @Override
    public int priority() {
        return 0;
    }

    /** "3 rows × 2 columns", with thousands separators and singulars. */
    static String shape(Relation table) {
        int rows = table.rowCount();
        int cols = table.columnCount();
        return String.format(Locale.ROOT, "%,d %s × %,d %s",
                rows, rows == 1 ? "row" : "rows", cols, cols == 1 ? "column" : "columns");
    }

    private static String html(Relation table, int limit, String shape) {
        int rows = table.rowCount();
        int head = rows > limit ? (limit + 1) / 2 : rows;
        int tail = rows > limit ? limit / 2 : 0;
        StringBuilder out = new StringBuilder(256 + 32 * Math.min(rows, limit) * table.columnCount());
        out.append("<table class=\"jtune-table\">\n<caption>");
        String name = table.name();
        if (name != null && !name.isBlank()) out.append(HtmlEscaper.escape(name)).append(" — ");
        out.append(shape).append("</caption>\n<thead><tr>");
        for (Column<?> column : table.columns()) {
            String type = HtmlEscaper.escape(column.type().name());
            out.append("<th title=\"").append(type).append("\">").append(HtmlEscaper.escape(column.name()))
                    .append("<br><small>").append(type).append("</small></th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < head; r++) row(out, table, r);
        if (rows > limit) {
            out.append("<tr class=\"jtune-ellipsis\">");
            for (int c = 0; c < table.columnCount(); c++) out.append("<td>…</td>");
            out.append("</tr>\n");
        }
        for (int r = rows - tail; r < rows; r++) row(out, table, r);
        return out.append("</tbody>\n</table>").toString();
    }

    private static void row(StringBuilder out, Relation table, int r) {
        out.append("<tr>");
        for (Column<?> column : table.columns()) {
            out.append("<td>").append(HtmlEscaper.escape(column.getString(r))).append("</td>");
        }
        out.append("</tr>\n");
    }
}

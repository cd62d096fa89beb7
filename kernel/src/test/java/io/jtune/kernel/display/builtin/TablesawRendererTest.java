package io.jtune.kernel.display.builtin;

import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TablesawRendererTest {
    @AfterEach
    void restoreRowLimit() {
        TablesawRenderer.setMaxRows(TablesawRenderer.DEFAULT_MAX_ROWS);
    }

    private static Table numbers(int rows) {
        return Table.create("numbers",
                IntColumn.create("n", IntStream.range(0, rows).toArray()),
                StringColumn.create("label", IntStream.range(0, rows).mapToObj(i -> "row" + i).toArray(String[]::new)));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    @Test
    void smallTableShowsEveryRowWithNamesTypesAndShape() {
        Table t = Table.create("people",
                StringColumn.create("name", "Ann", "Bob", "Cy"),
                DoubleColumn.create("score", 1.5, 2.5, 3.5));
        MimeBundle b = Renderers.render(t);
        String html = (String) b.get(MimeBundle.TEXT_HTML);
        assertTrue(html.startsWith("<table"), html);
        assertTrue(html.contains("<caption>people — 3 rows × 2 columns</caption>"), html);
        assertTrue(html.contains(">name<br><small>STRING</small></th>"), html);
        assertTrue(html.contains(">score<br><small>DOUBLE</small></th>"), html);
        assertEquals(1 + 3, count(html, "<tr>"));
        assertTrue(html.contains("<td>Bob</td><td>2.5</td>"), html);
        assertFalse(html.contains("…"), html);

        String text = (String) b.get(MimeBundle.TEXT_PLAIN);
        assertTrue(text.contains("Ann") && text.contains("Cy") && text.contains("score"), text);
        assertTrue(text.endsWith("3 rows × 2 columns"), text);
    }

    @Test
    void tableShowsShapeLineAndRowLimit() {
        MimeBundle b = Renderers.render(numbers(100));
        String html = (String) b.get(MimeBundle.TEXT_HTML);
        assertTrue(html.contains("100 rows × 2 columns"), html);
        assertEquals(1 + 20, count(html, "<tr>"));
        assertEquals(1, count(html, "jtune-ellipsis"));
        assertTrue(html.contains("<td>row9</td>") && html.contains("<td>row90</td>"), html);
        assertFalse(html.contains("<td>row10</td>") || html.contains("<td>row89</td>"), html);
        assertTrue(html.indexOf("<td>row9</td>") < html.indexOf("…") && html.indexOf("…") < html.indexOf("<td>row90</td>"));

        String text = (String) b.get(MimeBundle.TEXT_PLAIN);
        assertTrue(text.contains("row9 ") && text.contains("row90") && text.contains("..."), text);
        assertFalse(text.contains("row50"), text);
        assertTrue(text.endsWith("100 rows × 2 columns"), text);
    }

    @Test
    void rowLimitIsConfigurable() {
        TablesawRenderer.setMaxRows(5);
        String html = (String) Renderers.render(numbers(100)).get(MimeBundle.TEXT_HTML);
        assertEquals(1 + 5, count(html, "<tr>"));
        assertTrue(html.contains("<td>row2</td>") && !html.contains("<td>row3</td>"), html);
        assertTrue(html.contains("<td>row98</td>") && !html.contains("<td>row97</td>"), html);
        String text = (String) Renderers.render(numbers(100)).get(MimeBundle.TEXT_PLAIN);
        assertFalse(text.contains("row3 "), text);
        assertThrows(IllegalArgumentException.class, () -> TablesawRenderer.setMaxRows(0));
        assertEquals(5, TablesawRenderer.maxRows());
    }

    @Test
    void tableExactlyAtTheLimitHasNoEllipsis() {
        String html = (String) Renderers.render(numbers(20)).get(MimeBundle.TEXT_HTML);
        assertEquals(1 + 20, count(html, "<tr>"));
        assertFalse(html.contains("…"), html);
    }

    @Test
    void cellValuesAndNamesAreHtmlEscaped() {
        Table t = Table.create("<b>t</b>",
                StringColumn.create("<i>col</i>", "<script>alert(1)</script>", "a & b"));
        String html = (String) Renderers.render(t).get(MimeBundle.TEXT_HTML);
        assertFalse(html.contains("<script>") || html.contains("<i>") || html.contains("<b>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertTrue(html.contains("a &amp; b"), html);
        assertTrue(html.contains("&lt;i&gt;col&lt;/i&gt;"), html);
        assertTrue(html.contains("<caption>&lt;b&gt;t&lt;/b&gt; — 2 rows × 1 column</caption>"), html);
    }

    @Test
    void shapeUsesThousandsSeparatorsAndSingulars() {
        assertEquals("1,234 rows × 2 columns", TablesawRenderer.shape(numbers(1234)));
        assertEquals("1 row × 2 columns", TablesawRenderer.shape(numbers(1)));
        String html = (String) Renderers.render(Table.create()).get(MimeBundle.TEXT_HTML);
        assertTrue(html.contains("<caption>0 rows × 0 columns</caption>"), html);
    }

    @Test
    void tableWithoutNameHasOnlyTheShapeInItsCaption() {
        Table t = Table.create(IntColumn.create("x", 1, 2));
        String html = (String) Renderers.render(t).get(MimeBundle.TEXT_HTML);
        assertTrue(html.contains("<caption>2 rows × 1 column</caption>"), html);
    }
}

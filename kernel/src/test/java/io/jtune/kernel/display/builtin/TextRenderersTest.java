package io.jtune.kernel.display.builtin;

import io.jtune.kernel.display.Html;
import io.jtune.kernel.display.Markdown;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderers;
import io.jtune.kernel.display.Svg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TextRenderersTest {
    @Test
    void htmlRendersAsHtmlWithItsTextAsPlainText() {
        MimeBundle b = Renderers.render(new Html("<h1>Title</h1>\n<p>Some &amp; <b>bold</b></p><script>x()</script>"));
        assertEquals("<h1>Title</h1>\n<p>Some &amp; <b>bold</b></p><script>x()</script>", b.get(MimeBundle.TEXT_HTML));
        assertEquals("Title Some & bold", b.get(MimeBundle.TEXT_PLAIN));
    }

    @Test
    void htmlSummaryIsShortAndNeverEmpty() {
        String long_ = "<p>" + "word ".repeat(100) + "</p>";
        String summary = (String) Renderers.render(new Html(long_)).get(MimeBundle.TEXT_PLAIN);
        assertEquals(HtmlRenderer.SUMMARY_LENGTH, summary.length());
        assertTrue(summary.endsWith("…"));
        assertEquals("[HTML, 11 characters]", Renderers.render(new Html("<img src=x>")).get(MimeBundle.TEXT_PLAIN));
    }

    @Test
    void markdownRendersAsMarkdownWithTheSourceAsPlainText() {
        MimeBundle b = Renderers.render(new Markdown("# Hi\n*there*"));
        assertEquals(Map.of(MimeBundle.TEXT_MARKDOWN, "# Hi\n*there*", MimeBundle.TEXT_PLAIN, "# Hi\n*there*"), b.data());
    }

    @Test
    void svgRendersAsSvg() {
        MimeBundle b = Renderers.render(new Svg("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
        assertEquals("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", b.get(MimeBundle.IMAGE_SVG));
        assertEquals("SVG image (41 characters)", b.get(MimeBundle.TEXT_PLAIN));
    }

    @Test
    void charSequenceRendersAsPlainTextOnly() {
        assertEquals(Map.of(MimeBundle.TEXT_PLAIN, "<b>x</b>"), Renderers.render("<b>x</b>").data());
        assertEquals(Map.of(MimeBundle.TEXT_PLAIN, "sb"), Renderers.render(new StringBuilder("sb")).data());
    }

    @Test
    void throwableShowsClassMessageAndStackTraceInTextAndEscapedHtml() {
        Exception e = new IllegalArgumentException("bad <value>", new java.io.IOException("disk"));
        MimeBundle b = Renderers.render(e);
        String text = (String) b.get(MimeBundle.TEXT_PLAIN);
        assertTrue(text.startsWith("java.lang.IllegalArgumentException: bad <value>"), text);
        assertTrue(text.contains("\tat io.jtune.kernel.display.builtin.TextRenderersTest."), text);
        assertTrue(text.contains("Caused by: java.io.IOException: disk"), text);

        String html = (String) b.get(MimeBundle.TEXT_HTML);
        assertTrue(html.startsWith("<pre") && html.endsWith("</pre>"), html);
        assertTrue(html.contains("java.lang.IllegalArgumentException: bad &lt;value&gt;"), html);
        assertFalse(html.contains("<value>"), html);
    }
}

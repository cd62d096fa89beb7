package io.jtune.kernel.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML page of an executed notebook: prose, sources and every kind of output. */
class NotebookHtmlTest {
    @Test
    void markdownBecomesHeadingsParagraphsListsAndCode() {
        assertEquals("<h2>Data &amp; <code>%data</code></h2>\n<p>Two <b>bold</b> lines <i>joined</i>.</p>\n"
                + "<ul>\n<li>one <a href=\"https://x.org\">link</a></li>\n<li>two</li>\n</ul>\n<pre>a &lt; b\n</pre>\n",
                NotebookHtml.markdown("## Data & `%data`\n\nTwo **bold** lines\n*joined*.\n\n- one [link](https://x.org)\n"
                        + "- two\n\n```\na < b\n```"));
    }

    @Test
    void outputsKeepTheirRichestFormAndErrorsLoseTheirColours(@TempDir Path dir) throws Exception {
        Path nb = dir.resolve("n.ipynb");
        Files.writeString(nb, """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
                 {"cell_type": "markdown", "metadata": {}, "source": ["# Title"]},
                 {"cell_type": "code", "metadata": {}, "source": ["1 + 1"], "execution_count": 1, "outputs": [
                  {"output_type": "stream", "name": "stdout", "text": ["a < b\\n"]},
                  {"output_type": "execute_result", "execution_count": 1, "metadata": {},
                   "data": {"text/plain": "2", "text/html": "<table><tr><td>2</td></tr></table>"}},
                  {"output_type": "display_data", "metadata": {}, "data": {"text/plain": "chart", "image/png": "iVBORw0K\\n"}},
                  {"output_type": "error", "ename": "Boom", "evalue": "bad", "traceback": ["\\u001b[31mat x\\u001b[0m"]}]}]}
                """);
        Path html = dir.resolve("n.html");
        NotebookHtml.write(nb, html);
        String s = Files.readString(html);
        assertTrue(s.contains("<h1>Title</h1>") && s.contains("<pre class=\"src\">1 + 1</pre>"), s);
        assertTrue(s.contains("<pre>a &lt; b\n</pre>") && s.contains("<table><tr><td>2</td></tr></table>"), s);
        assertTrue(s.contains("<img src=\"data:image/png;base64,iVBORw0K\">"), s);
        assertTrue(s.contains("Boom: bad\nat x") && !s.contains("\u001b"), s);
    }
}

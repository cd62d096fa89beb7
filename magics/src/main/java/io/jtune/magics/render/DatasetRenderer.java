package io.jtune.magics.render;

import io.jtune.finetune.data.Dataset;
import io.jtune.finetune.data.LoadReport;
import io.jtune.kernel.api.HtmlEscaper;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderer;
import io.jtune.kernel.display.builtin.TablesawRenderer;

/**
 * A {@link Dataset} in a notebook: a line with the row counts per split and what loading left
 * out, then its first rows as a table (split, source, system, user, assistant, turns).
 */
public final class DatasetRenderer implements Renderer {
    private final TablesawRenderer tables = new TablesawRenderer();

    @Override
    public boolean supports(Object value) {
        return value instanceof Dataset;
    }

    @Override
    public MimeBundle render(Object value) {
        Dataset d = (Dataset) value;
        MimeBundle table = tables.render(d.table());
        LoadReport r = d.report();
        String summary = String.format("<p><b>Dataset</b>: %,d train · %,d validation · %,d test"
                        + " &mdash; %,d rows read, %,d skipped (%,d problems), %,d duplicates removed</p>",
                d.train().size(), d.validation().size(), d.test().size(), r.rowsRead(), r.rowsSkipped(),
                r.problems().size(), r.duplicates().size());
        String problems = r.problems().isEmpty() ? "" : "<details><summary>problems</summary><pre>"
                + HtmlEscaper.escape(String.join("\n", r.problems().stream().limit(50).map(Object::toString).toList()))
                + (r.problems().size() > 50 ? "\n... and " + (r.problems().size() - 50) + " more" : "")
                + "</pre></details>";
        return MimeBundle.of(MimeBundle.TEXT_HTML, summary + problems + table.get(MimeBundle.TEXT_HTML))
                .put(MimeBundle.TEXT_PLAIN, d.toString() + "\n" + table.get(MimeBundle.TEXT_PLAIN));
    }

    @Override
    public int priority() {
        return 10;
    }

}

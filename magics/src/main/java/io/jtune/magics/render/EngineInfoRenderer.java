package io.jtune.magics.render;

import io.jtune.finetune.engine.EngineInfo;
import io.jtune.kernel.api.HtmlEscaper;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderer;

/** The engine facts as a two-column table, and as aligned lines in {@code text/plain}. */
public final class EngineInfoRenderer implements Renderer {
    @Override
    public boolean supports(Object value) {
        return value instanceof EngineInfo;
    }

    @Override
    public MimeBundle render(Object value) {
        EngineInfo e = (EngineInfo) value;
        StringBuilder html = new StringBuilder("<table><tbody>");
        row(html, "DJL", e.djlVersion());
        row(html, e.engine(), e.pytorchVersion() + (e.flavour().isEmpty() ? "" : " (" + e.flavour() + ")"));
        row(html, "library", e.library().isEmpty() ? "(unknown)" : e.library());
        row(html, "devices", String.join(", ", e.devices()));
        row(html, "capabilities", e.capabilities().isEmpty() ? "(none)" : String.join(", ", e.capabilities()));
        row(html, "threads", e.threads() + " intra-op, " + e.interopThreads() + " inter-op");
        html.append("</tbody></table>");
        return MimeBundle.of(MimeBundle.TEXT_HTML, html.toString()).put(MimeBundle.TEXT_PLAIN, e.text());
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><th style=\"text-align:left\">").append(HtmlEscaper.escape(name)).append("</th><td>")
                .append(HtmlEscaper.escape(value)).append("</td></tr>");
    }

    @Override
    public int priority() {
        return 10;
    }
}

package io.jtune.magics.render;

import io.jtune.finetune.data.DatasetStats;
import io.jtune.finetune.data.LengthStats;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderer;
import io.jtune.kernel.display.builtin.XChartRenderer;

/** Token-length statistics: a table of min/median/p95/max per field, the truncation count and the histogram. */
public final class DatasetStatsRenderer implements Renderer {
    private final XChartRenderer charts = new XChartRenderer();

    @Override
    public boolean supports(Object value) {
        return value instanceof DatasetStats;
    }

    @Override
    public MimeBundle render(Object value) {
        DatasetStats s = (DatasetStats) value;
        StringBuilder html = new StringBuilder("<table><thead><tr><th>tokens</th><th>min</th><th>median</th>"
                + "<th>p95</th><th>max</th><th>mean</th></tr></thead><tbody>");
        row(html, "prompt", s.prompt());
        row(html, "response", s.response());
        row(html, "total", s.total());
        html.append("</tbody></table>")
                .append(String.format("<p>%,d of %,d examples are longer than max_len %,d and would be truncated.</p>",
                        s.truncated(), s.total().count(), s.maxLen()));
        MimeBundle chart = charts.render(LengthHistogramChart.of(s));
        Object png = chart.get(MimeBundle.IMAGE_PNG);
        if (png != null) {
            html.append("<img src=\"data:image/png;base64,").append(png).append("\"/>");
        }
        return MimeBundle.of(MimeBundle.TEXT_HTML, html.toString()).put(MimeBundle.TEXT_PLAIN, s.toString());
    }

    private static void row(StringBuilder html, String name, LengthStats l) {
        html.append(String.format("<tr><td>%s</td><td>%d</td><td>%.1f</td><td>%d</td><td>%d</td><td>%.1f</td></tr>",
                name, l.min(), l.median(), l.p95(), l.max(), l.mean()));
    }

    @Override
    public int priority() {
        return 10;
    }
}

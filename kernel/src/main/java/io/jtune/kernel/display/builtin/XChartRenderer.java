package io.jtune.kernel.display.builtin;

import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Built-in renderer of XChart charts ({@code XYChart}, {@code CategoryChart}, {@code PieChart}
 * and every other {@link Chart}): {@code image/png} (base64, with width and height metadata) and
 * a {@code text/plain} line such as {@code XYChart 'title' (600x400)}. Works headless.
 *
 * <p>{@code image/svg+xml} is left out by default, since an XChart SVG draws its text as paths
 * and weighs hundreds of KB (see {@link ChartSvg}); it is produced when asked for, as in
 * {@code Renderers.render(chart, "image/svg+xml")}, or for every chart after
 * {@link #setSvg(boolean) setSvg(true)}. Before painting, x-axis labels get notebook defaults
 * where the user left XChart's (see {@link ChartDefaults}).
 */
public final class XChartRenderer implements Renderer {
    private static volatile boolean svg = false;

    /** Whether every chart also carries {@code image/svg+xml} (off by default). */
    public static void setSvg(boolean on) {
        svg = on;
    }

    /** Whether every chart carries {@code image/svg+xml} now. */
    public static boolean svg() {
        return svg;
    }

    @Override
    public boolean supports(Object value) {
        return value instanceof Chart;
    }

    @Override
    public MimeBundle render(Object value) {
        return render((Chart<?, ?>) value, true, svg);
    }

    /** Only the requested images: PNG when {@code image/png} is among them, SVG when {@code image/svg+xml} is. */
    @Override
    public MimeBundle render(Object value, Set<String> mimeTypes) {
        return render((Chart<?, ?>) value, mimeTypes.contains(MimeBundle.IMAGE_PNG), mimeTypes.contains(MimeBundle.IMAGE_SVG));
    }

    @Override
    public int priority() {
        return 0;
    }

    private static MimeBundle render(Chart<?, ?> chart, boolean withPng, boolean withSvg) {
        ChartDefaults.apply(chart);
        MimeBundle bundle = new MimeBundle();
        if (withPng) {
            byte[] png;
            try {
                png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            } catch (IOException e) {
                throw new UncheckedIOException("could not draw the chart as PNG", e);
            }
            bundle = ImageRenderer.png(png, chart.getWidth(), chart.getHeight());
        }
        if (withSvg) {
            String doc = ChartSvg.of(chart);
            if (doc != null) bundle.put(MimeBundle.IMAGE_SVG, doc);
        }
        return bundle.put(MimeBundle.TEXT_PLAIN, describe(chart));
    }

    /** "XYChart 'title' (600x400)", without the quotes part when the chart has no title. */
    static String describe(Chart<?, ?> chart) {
        String title = chart.getTitle();
        return chart.getClass().getSimpleName()
                + (title == null || title.isBlank() ? "" : " '" + title + "'")
                + " (" + chart.getWidth() + "x" + chart.getHeight() + ")";
    }
}

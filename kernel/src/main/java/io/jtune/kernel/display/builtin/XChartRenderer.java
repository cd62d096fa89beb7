package io.jtune.kernel.display.builtin;

import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Built-in renderer of XChart charts ({@code XYChart}, {@code CategoryChart}, {@code PieChart}
 * and every other {@link Chart}): {@code image/png} (base64, with width and height metadata),
 * {@code image/svg+xml} when VectorGraphics2D is on the class path and SVG is switched on, and
 * a {@code text/plain} line such as {@code XYChart 'title' (600x400)}. Works headless.
 */
public final class XChartRenderer implements Renderer {
    private static volatile boolean svg = true;

    /** Whether charts also carry {@code image/svg+xml} (on by default). */
    public static void setSvg(boolean on) {
        svg = on;
    }

    /** Whether charts carry {@code image/svg+xml} now. */
    public static boolean svg() {
        return svg;
    }

    @Override
    public boolean supports(Object value) {
        return value instanceof Chart;
    }

    @Override
    public MimeBundle render(Object value) {
        Chart<?, ?> chart = (Chart<?, ?>) value;
        byte[] png;
        try {
            png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not draw the chart as PNG", e);
        }
        MimeBundle bundle = ImageRenderer.png(png, chart.getWidth(), chart.getHeight());
        if (svg) {
            String doc = svgOf(chart);
            if (doc != null) bundle.put(MimeBundle.IMAGE_SVG, doc);
        }
        return bundle.put(MimeBundle.TEXT_PLAIN, describe(chart));
    }

    @Override
    public int priority() {
        return 0;
    }

    /** The chart as an SVG document, or null when VectorGraphics2D is missing or fails. */
    static String svgOf(Chart<?, ?> chart) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return out.toString(StandardCharsets.UTF_8);
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    /** "XYChart 'title' (600x400)", without the quotes part when the chart has no title. */
    static String describe(Chart<?, ?> chart) {
        String title = chart.getTitle();
        return chart.getClass().getSimpleName()
                + (title == null || title.isBlank() ? "" : " '" + title + "'")
                + " (" + chart.getWidth() + "x" + chart.getHeight() + ")";
    }
}

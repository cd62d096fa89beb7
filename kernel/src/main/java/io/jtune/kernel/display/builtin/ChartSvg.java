package io.jtune.kernel.display.builtin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A chart as a compact SVG document.
 *
 * <p>XChart 3.8.8 draws every piece of text by filling the glyph outlines of a
 * {@link java.awt.font.TextLayout}, never with {@code drawString}, so VectorGraphics2D's
 * {@code VectorHints.KEY_TEXT} has nothing to act on and the SVG cannot carry {@code <text>}
 * elements; a 600x400 line chart of 500 points comes out near 370 KB, almost half of it glyph
 * paths, the rest one element per marker and line segment. What can be cut is the precision:
 * VectorGraphics2D writes full doubles ({@code 336.53722571746135}), and every number is rounded
 * here to {@value #DECIMALS} decimals, at most 0.005 px off, which saves about a third.
 */
final class ChartSvg {
    static final int DECIMALS = 2;

    private static final Pattern LONG_NUMBER = Pattern.compile("-?\\d+\\.\\d{" + (DECIMALS + 1) + ",}");

    private ChartSvg() {}

    /** The chart as XChart's SVG with shortened numbers, or null when VectorGraphics2D is missing or fails. */
    static String of(Chart<?, ?> chart) {
        String doc = raw(chart);
        return doc == null ? null : shorten(doc);
    }

    /** The chart as XChart's own encoder writes it, or null when VectorGraphics2D is missing or fails. */
    static String raw(Chart<?, ?> chart) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return out.toString(StandardCharsets.UTF_8);
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    /** {@code svg} with every number of more than {@value #DECIMALS} decimals rounded to that many. */
    static String shorten(String svg) {
        Matcher m = LONG_NUMBER.matcher(svg);
        StringBuilder out = new StringBuilder(svg.length() / 2);
        while (m.find()) m.appendReplacement(out, round(m.group()));
        m.appendTail(out);
        return out.toString();
    }

    private static String round(String number) {
        String s = new java.math.BigDecimal(number)
                .setScale(DECIMALS, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
        return s.equals("-0") ? "0" : s;
    }
}

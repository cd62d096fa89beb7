package io.jtune.kernel.display.builtin;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.series.Series;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.XYStyler;

/**
 * Notebook defaults for XChart's x-axis labels, applied by {@link XChartRenderer} just before a
 * chart is painted, so that labels do not run into each other at notebook width.
 *
 * <p>One setting is touched, {@code XAxisLabelRotation} (XChart's default 0), and only while it
 * holds that default or the value this class set the last time. A value the user set is never
 * changed: before the first render a value equal to XChart's default counts as unset, afterwards
 * any value other than the one set here is the user's and is kept. Applying twice gives the same
 * chart, because each render starts again from XChart's default.
 *
 * <ul>
 *   <li>{@link XYChart}: XChart 3.8.8 ignores {@code XAxisTickMarkSpacingHint} when the x values
 *       are equally spaced (steps 0, 1, 2 ...). It then labels every n-th value, n the smallest for
 *       which the widest label times 1.1 fits between two labels, which leaves labels almost
 *       touching. When that gap would be under {@link #MIN_GAP_EM} em, the labels are turned 45°.
 *       Unequally spaced x values go through XChart's tick spacing hint, which works, and are left.
 *   <li>{@link CategoryChart}: every category gets a label. When the widest label plus the gap does
 *       not fit in one category's width, labels are turned by the least of 45°, 60° and 90° at
 *       which turned neighbours clear each other (category width times the sine of the angle at
 *       least one and a half glyph heights). {@code XAxisMaxLabelCount} is not set: in
 *       XChart 3.8.8 a count that does not divide the categories puts labels between bars.
 * </ul>
 *
 * Widths and glyph heights are those of the widest expected label in the chart's tick label font;
 * the pixels per category or per x step are read from a layout pass on a 1x1 scratch image.
 */
final class ChartDefaults {
    /** The free space wanted between two labels, in units of the tick label font's height. */
    static final double MIN_GAP_EM = 0.6;

    private static final int DEFAULT_ROTATION = new XYStyler().getXAxisLabelRotation();

    /** Recorded once the user has set the rotation; no rotation equals it, so it is never touched again. */
    private static final int USER_OWNED = Integer.MIN_VALUE;

    /** At most this many x values are formatted and measured (evenly picked, ends included). */
    static final int MEASURED_LABELS = 1000;

    /** The rotation this class set on each styler, so the next render can tell it from the user's. */
    private static final Map<AxesChartStyler, Integer> APPLIED = Collections.synchronizedMap(new WeakHashMap<>());

    private ChartDefaults() {}

    /** Applies the notebook defaults to {@code chart} (XY and category charts; others are left). */
    static void apply(Chart<?, ?> chart) {
        if (!(chart.getStyler() instanceof AxesChartStyler styler)) return;
        if (!(chart instanceof XYChart) && !(chart instanceof CategoryChart)) return;
        synchronized (styler) {
            Integer before = APPLIED.get(styler);
            if (styler.getXAxisLabelRotation() != (before == null ? DEFAULT_ROTATION : before)) {
                APPLIED.put(styler, USER_OWNED);
                return;
            }
            styler.setXAxisLabelRotation(DEFAULT_ROTATION);
            if (styler.isXAxisTicksVisible() && !styler.isXAxisLogarithmic()) {
                if (chart instanceof XYChart xy) applyXY(xy, styler);
                else applyCategory((CategoryChart) chart, styler);
            }
            APPLIED.put(styler, styler.getXAxisLabelRotation());
        }
    }

    private static void applyXY(XYChart chart, AxesChartStyler styler) {
        List<Double> xs = new ArrayList<>();
        Set<Double> seen = new LinkedHashSet<>();
        for (XYSeries s : chart.getSeriesMap().values()) {
            if (s.getxAxisDataType() != Series.DataType.Number) return;
            for (double x : s.getXData()) seen.add(x);
        }
        xs.addAll(seen);
        if (!equallySpaced(xs) || !layOut(chart)) return;
        double min = Collections.min(xs), max = Collections.max(xs);
        double stepPx = Math.abs(chart.getScreenXFromChart(max) - chart.getScreenXFromChart(min)) / (xs.size() - 1);
        Function<Double, String> format = numberFormat(styler);
        FontMetrics fm = metrics(styler.getAxisTickLabelsFont());
        double widest = 0;
        int every = Math.max(1, xs.size() / MEASURED_LABELS);
        for (int i = 0; i < xs.size(); i += every) widest = Math.max(widest, fm.stringWidth(format.apply(xs.get(i))));
        for (double x : new double[] {min, max}) widest = Math.max(widest, fm.stringWidth(format.apply(x)));
        // XChart labels every n-th value, n the smallest with n * stepPx > 1.1 * widest.
        double spacing = stepPx * Math.max(1, Math.ceil(1.1 * widest / stepPx));
        if (spacing - widest < MIN_GAP_EM * fm.getHeight()) styler.setXAxisLabelRotation(45);
    }

    private static void applyCategory(CategoryChart chart, AxesChartStyler styler) {
        Set<Object> categories = new LinkedHashSet<>();
        for (CategorySeries s : chart.getSeriesMap().values()) categories.addAll(s.getXData());
        int n = categories.size();
        if (n < 2 || !layOut(chart)) return;
        double slot = Math.abs(chart.getScreenXFromChart(1) - chart.getScreenXFromChart(0));
        Function<Double, String> format = numberFormat(styler);
        FontMetrics fm = metrics(styler.getAxisTickLabelsFont());
        String widestLabel = "";
        for (Object c : categories) {
            String label = c instanceof Number num ? format.apply(num.doubleValue()) : String.valueOf(c);
            if (fm.stringWidth(label) > fm.stringWidth(widestLabel)) widestLabel = label;
        }
        if (fm.stringWidth(widestLabel) + MIN_GAP_EM * fm.getHeight() <= slot) return;
        double glyphs = glyphHeight(styler.getAxisTickLabelsFont(), fm, widestLabel);
        for (int angle : new int[] {45, 60, 90}) {
            if (slot * Math.sin(Math.toRadians(angle)) >= 1.5 * glyphs || angle == 90) {
                styler.setXAxisLabelRotation(angle);
                return;
            }
        }
    }

    /** The height of the inked part of {@code label}, which is what neighbouring turned labels must clear. */
    static double glyphHeight(Font font, FontMetrics fm, String label) {
        return font.createGlyphVector(fm.getFontRenderContext(), label).getVisualBounds().getHeight();
    }

    /** Whether XChart takes its equally-spaced path: consecutive distinct values one step apart. */
    static boolean equallySpaced(List<Double> xs) {
        if (xs.size() < 2) return false;
        double step = xs.get(1) - xs.get(0);
        if (Math.abs(step) < 1e-4) return false;
        for (int i = 2; i < xs.size(); i++) {
            if (Math.abs(xs.get(i) - xs.get(i - 1) - step) > 1e-4) return false;
        }
        return true;
    }

    /** Paints {@code chart} on a scratch image so that its axes are laid out; false when that fails. */
    private static boolean layOut(Chart<?, ?> chart) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = scratch.createGraphics();
        try {
            chart.paint(g, chart.getWidth(), chart.getHeight());
            return true;
        } catch (RuntimeException e) {
            return false;
        } finally {
            g.dispose();
        }
    }

    private static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB).createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    /** The label text XChart would show for a number, near enough to measure its width. */
    private static Function<Double, String> numberFormat(AxesChartStyler styler) {
        Function<Double, String> custom = styler.getxAxisTickLabelsFormattingFunction();
        if (custom != null) return custom;
        NumberFormat nf = NumberFormat.getNumberInstance(styler.getLocale());
        if (styler.getXAxisDecimalPattern() != null && nf instanceof DecimalFormat df) {
            df.applyPattern(styler.getXAxisDecimalPattern());
        } else {
            nf.setMaximumFractionDigits(2);
        }
        return nf::format;
    }
}

package io.jtune.kernel.display.builtin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderers;
import java.awt.FontMetrics;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

class ChartDefaultsTest {
    /** A loss curve of {@code n} steps from {@code first}, one step apart unless {@code jitter}. */
    static XYChart steps(int n, double first, boolean jitter) {
        XYChart chart = new XYChartBuilder().width(600).height(400).title("loss").xAxisTitle("step").yAxisTitle("loss").build();
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = first + i + (jitter ? 0.3 * Math.sin(i) : 0);
            y[i] = 2.5 * Math.exp(-i / 100.0);
        }
        chart.addSeries("train", x, y);
        return chart;
    }

    /** A histogram with {@code n} buckets labelled "0-31", "32-63" ... */
    static CategoryChart buckets(int n) {
        CategoryChart chart = new CategoryChartBuilder().width(600).height(400).title("lengths").build();
        List<String> names = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(i * 32 + "-" + (i * 32 + 31));
            counts.add(10 + i % 7);
        }
        chart.addSeries("count", names, counts);
        return chart;
    }

    private static FontMetrics metrics(java.awt.Font font) {
        return new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB).createGraphics().getFontMetrics(font);
    }

    @Test
    void manyEquallySpacedStepsGetTurnedLabels() {
        for (double first : new double[] {0, 1000}) {
            XYChart chart = steps(500, first, false);
            Renderers.render(chart);
            assertEquals(45, chart.getStyler().getXAxisLabelRotation(), "first step " + first);
        }
    }

    @Test
    void fewStepsOrUnequalStepsKeepUprightLabels() {
        XYChart few = steps(4, 1, false);
        Renderers.render(few);
        assertEquals(0, few.getStyler().getXAxisLabelRotation());

        XYChart unequal = steps(500, 1000, true);
        Renderers.render(unequal);
        assertEquals(0, unequal.getStyler().getXAxisLabelRotation(), "XChart's spacing hint handles these");
    }

    @Test
    void crowdedCategoriesAreTurnedSoNeighboursDoNotOverlap() {
        CategoryChart chart = buckets(30);
        Renderers.render(chart);
        int rotation = chart.getStyler().getXAxisLabelRotation();
        assertTrue(rotation == 45 || rotation == 60 || rotation == 90, "rotation " + rotation);
        double slot = Math.abs(chart.getScreenXFromChart(1) - chart.getScreenXFromChart(0));
        java.awt.Font font = chart.getStyler().getAxisTickLabelsFont();
        double glyphs = ChartDefaults.glyphHeight(font, metrics(font), "928-959");
        assertTrue(slot * Math.sin(Math.toRadians(rotation)) >= glyphs,
                "turned labels " + slot + " px apart, " + glyphs + " px high");
        assertEquals(0, chart.getStyler().getXAxisMaxLabelCount(), "every bar keeps its label");
    }

    @Test
    void fewCategoriesStayUprightAndFitTheirSlots() {
        CategoryChart chart = buckets(3);
        Renderers.render(chart);
        assertEquals(0, chart.getStyler().getXAxisLabelRotation());
        assertEquals(0, chart.getStyler().getXAxisMaxLabelCount());
        double slot = Math.abs(chart.getScreenXFromChart(1) - chart.getScreenXFromChart(0));
        FontMetrics fm = metrics(chart.getStyler().getAxisTickLabelsFont());
        assertTrue(3 * fm.stringWidth("64-95") <= 3 * slot);
    }

    @Test
    void valuesTheUserSetAreLeftAlone() {
        XYChart xy = steps(500, 1000, false);
        xy.getStyler().setXAxisLabelRotation(30);
        Renderers.render(xy);
        assertEquals(30, xy.getStyler().getXAxisLabelRotation());

        CategoryChart bars = buckets(30);
        bars.getStyler().setXAxisLabelRotation(60);
        Renderers.render(bars);
        assertEquals(60, bars.getStyler().getXAxisLabelRotation());
    }

    @Test
    void aValueTheUserChangesAfterARenderIsKept() {
        XYChart chart = steps(500, 1000, false);
        Renderers.render(chart);
        assertEquals(45, chart.getStyler().getXAxisLabelRotation());
        chart.getStyler().setXAxisLabelRotation(0);
        Renderers.render(chart);
        assertEquals(0, chart.getStyler().getXAxisLabelRotation());
    }

    @Test
    void renderingTwiceGivesTheSameChart() {
        CategoryChart chart = buckets(30);
        MimeBundle first = Renderers.render(chart);
        int rotation = chart.getStyler().getXAxisLabelRotation();
        MimeBundle second = Renderers.render(chart);
        assertEquals(rotation, chart.getStyler().getXAxisLabelRotation());
        assertEquals(first.get(MimeBundle.IMAGE_PNG), second.get(MimeBundle.IMAGE_PNG));
    }

    @Test
    void defaultsFollowTheDataWhenTheUserSetNothing() {
        XYChart chart = steps(500, 1000, false);
        Renderers.render(chart);
        assertEquals(45, chart.getStyler().getXAxisLabelRotation());
        chart.removeSeries("train");
        chart.addSeries("train", new double[] {1, 2, 3}, new double[] {3, 2, 1});
        Renderers.render(chart);
        assertEquals(0, chart.getStyler().getXAxisLabelRotation());
    }

    @Test
    void equalSpacingIsDetectedLikeXChart() {
        assertTrue(ChartDefaults.equallySpaced(List.of(0.0, 1.0, 2.0)));
        assertFalse(ChartDefaults.equallySpaced(List.of(0.0, 1.0, 2.5)));
        assertFalse(ChartDefaults.equallySpaced(List.of(3.0)));
    }

    @Test
    void svgNumbersAreShortenedToTwoDecimals() {
        assertEquals("<line x1=\"52.85\" y1=\"336.54\" x2=\"0\" y2=\"1.5\" v=\"1.1\"/>",
                ChartSvg.shorten("<line x1=\"52.845703125\" y1=\"336.53722571746135\" x2=\"-0.001\" y2=\"1.500\" v=\"1.1\"/>"));
    }

    @Test
    void theCompactSvgIsMuchSmallerThanXChartsOwn() {
        XYChart chart = steps(500, 1000, false);
        String raw = ChartSvg.raw(chart);
        String compact = ChartSvg.of(chart);
        assertTrue(compact.contains("<svg") && compact.trim().endsWith("</svg>"));
        double ratio = (double) compact.length() / raw.length();
        assertTrue(ratio < 0.75, "compact/raw = " + ratio);
        assertArrayEquals(new String[0], java.util.regex.Pattern.compile("\\d\\.\\d{3,}").matcher(compact)
                .results().map(java.util.regex.MatchResult::group).toArray(String[]::new));
    }
}

package io.jtune.magics.render;

import io.jtune.finetune.data.DatasetStats;
import io.jtune.finetune.data.LengthHistogram;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** Draws the total-length histogram of {@link DatasetStats} as an XChart bar chart; needs no display. */
public final class LengthHistogramChart {
    /** The name of the chart's one series. */
    public static final String SERIES = "examples";

    private LengthHistogramChart() {
    }

    /** One bar per bin, labelled with its inclusive range; a single "none" bar when there are no examples. */
    public static CategoryChart of(DatasetStats stats) {
        LengthHistogram h = stats.histogram();
        List<String> labels = new ArrayList<>();
        List<Integer> counts = new ArrayList<>(h.counts());
        for (int b = 0; b < h.bins(); b++) {
            labels.add(h.label(b));
        }
        if (labels.isEmpty()) {
            labels.add("none");
            counts.add(0);
        }
        CategoryChart chart = new CategoryChartBuilder().width(800).height(400)
                .title("Total token length (max " + stats.maxLen() + ", " + stats.truncated() + " truncated)")
                .xAxisTitle("tokens").yAxisTitle("examples").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.addSeries(SERIES, labels, counts);
        return chart;
    }
}

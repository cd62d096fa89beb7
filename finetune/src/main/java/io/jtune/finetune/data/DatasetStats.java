package io.jtune.finetune.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Token lengths of a set of examples, counted with a tokenizer on the raw text, without special
 * tokens or a chat template. The prompt is every turn before the last assistant turn, contents
 * joined by a newline; the response is the last assistant turn; total is prompt plus response.
 * {@code truncated} counts the examples whose total is above {@code maxLen}.
 */
public record DatasetStats(LengthStats prompt, LengthStats response, LengthStats total, int maxLen,
                           int truncated, List<Integer> totalLengths) {
    /** Default number of histogram bars. */
    public static final int BINS = 20;

    public DatasetStats {
        totalLengths = List.copyOf(totalLengths);
    }

    /**
     * A bar chart of total lengths in up to {@link #BINS} bins of equal integer width; each bar is
     * labelled with its inclusive range. Building it needs no display.
     */
    public CategoryChart histogram() {
        List<String> labels = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        if (!totalLengths.isEmpty()) {
            int lo = total.min();
            int hi = total.max();
            int width = Math.max(1, (hi - lo + BINS) / BINS);
            int bins = (hi - lo) / width + 1;
            int[] c = new int[bins];
            for (int len : totalLengths) {
                c[(len - lo) / width]++;
            }
            for (int b = 0; b < bins; b++) {
                int from = lo + b * width;
                int to = from + width - 1;
                labels.add(width == 1 ? String.valueOf(from) : from + "-" + to);
                counts.add(c[b]);
            }
        } else {
            labels.add("none");
            counts.add(0);
        }
        CategoryChart chart = new CategoryChartBuilder().width(800).height(400)
                .title("Total token length (max " + maxLen + ", " + truncated + " truncated)")
                .xAxisTitle("tokens").yAxisTitle("examples").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.addSeries("examples", labels, counts);
        return chart;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d examples%n  prompt:   %s%n  response: %s%n  total:    %s%n"
                        + "  %d over maxLen %d would be truncated",
                total.count(), prompt, response, total, truncated, maxLen);
    }
}

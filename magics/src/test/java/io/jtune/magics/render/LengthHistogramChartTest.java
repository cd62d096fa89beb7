package io.jtune.magics.render;

import io.jtune.finetune.data.DatasetStats;
import io.jtune.finetune.data.LengthStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LengthHistogramChartTest {
    @Test
    void eachBinBecomesABarLabelledWithItsRangeWithoutADisplay() {
        List<Integer> totals = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            totals.add(10 + i);
        }
        LengthStats s = LengthStats.of(totals.stream().mapToInt(Integer::intValue).toArray());
        CategoryChart chart = LengthHistogramChart.of(new DatasetStats(s, s, s, 64, 46, totals));
        CategorySeries series = chart.getSeriesMap().get(LengthHistogramChart.SERIES);
        List<?> x = new ArrayList<>(series.getXData());
        List<Number> y = new ArrayList<>(series.getYData());
        assertEquals(20, x.size());
        assertEquals("10-14", x.get(0));
        assertEquals(100, y.stream().mapToInt(Number::intValue).sum());
        assertTrue(chart.getTitle().contains("46 truncated"), chart.getTitle());
    }

    @Test
    void noExamplesDrawOneEmptyBar() {
        LengthStats none = LengthStats.of(new int[0]);
        CategoryChart chart = LengthHistogramChart.of(new DatasetStats(none, none, none, 8, 0, List.of()));
        assertEquals(List.of("none"), new ArrayList<>(chart.getSeriesMap().get(LengthHistogramChart.SERIES).getXData()));
    }
}

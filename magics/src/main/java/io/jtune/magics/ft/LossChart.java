package io.jtune.magics.ft;

import io.jtune.finetune.train.EvalLog;
import io.jtune.finetune.train.StepLog;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Training loss per step and validation loss per evaluation, as one XChart line chart. */
final class LossChart {
    private final List<Double> steps = new ArrayList<>();
    private final List<Double> losses = new ArrayList<>();
    private final List<Double> evalSteps = new ArrayList<>();
    private final List<Double> evalLosses = new ArrayList<>();

    void step(StepLog s) {
        steps.add((double) s.step());
        losses.add(s.loss());
    }

    void eval(EvalLog e) {
        evalSteps.add((double) e.step());
        evalLosses.add(e.loss());
    }

    /** Whether the last two evaluations rose while the training loss over the same steps fell. */
    boolean overfitting() {
        int n = evalLosses.size();
        if (n < 2 || evalLosses.get(n - 1) <= evalLosses.get(n - 2)) {
            return false;
        }
        int from = steps.indexOf(evalSteps.get(n - 2));
        int to = steps.indexOf(evalSteps.get(n - 1));
        return from >= 0 && to > from && mean(losses.subList(Math.max(0, to - 5), to + 1))
                < mean(losses.subList(Math.max(0, from - 5), from + 1));
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    XYChart chart() {
        XYChart c = new XYChartBuilder().width(720).height(320).title("Loss").xAxisTitle("step").yAxisTitle("loss").build();
        if (!steps.isEmpty()) {
            c.addSeries("train", steps, losses).setMarker(SeriesMarkers.NONE);
        }
        if (!evalSteps.isEmpty()) {
            c.addSeries("validation", evalSteps, evalLosses);
        }
        return c;
    }
}

package io.jtune.finetune.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** Accuracy, precision, recall and the confusion matrix on five labelled answers worked out by hand. */
class ClassificationReportTest {
    @Test
    void countsEachCellAndAnswersWithoutALabelAsWrong() {
        ClassificationReport r = ClassificationReport.of(List.of("A", "A", "B", "B", "B"),
                List.of(Optional.of("A"), Optional.of("B"), Optional.of("B"), Optional.empty(), Optional.of("B")));
        assertEquals(0.6, r.accuracy(), 1e-12);
        assertEquals(1.0, r.precision("A"), 1e-12);
        assertEquals(0.5, r.recall("A"), 1e-12);
        assertEquals(2.0 / 3, r.precision("B"), 1e-12);
        assertEquals(2.0 / 3, r.recall("B"), 1e-12);
        assertEquals(1, r.count("B", ClassificationReport.NO_LABEL));
        assertEquals(1, r.count("A", "B"));
        Table m = r.confusionMatrix();
        assertEquals(List.of("expected \\ predicted", "A", "B", ClassificationReport.NO_LABEL), m.columnNames());
        assertEquals(2, m.intColumn("B").get(1));
        Table per = r.perClass();
        assertEquals(2.0 / 3, per.doubleColumn("f1").get(0), 1e-12); // A: 2*1*0.5/1.5
        assertEquals(3, per.intColumn("support").get(1));
    }

    @Test
    void aClassOnlyPredictedHasNoRecall() {
        ClassificationReport r = ClassificationReport.of(List.of("A"), List.of(Optional.of("C")));
        assertEquals(List.of("A", "C"), r.classes());
        assertEquals(0.0, r.precision("C"));
        assertEquals(Double.NaN, r.recall("C"));
    }
}

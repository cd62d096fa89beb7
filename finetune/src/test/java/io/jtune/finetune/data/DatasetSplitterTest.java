package io.jtune.finetune.data;

import io.jtune.finetune.data.read.DatasetLoader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetSplitterTest {
    private static List<Example> examples(int n) {
        List<Example> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(new Example(List.of(Message.user("q" + i), Message.assistant("a" + i)), Map.of(), new SourceRef("f", i)));
        }
        return list;
    }

    private static List<Integer> lines(List<Example> split) {
        return split.stream().map(e -> e.source().line()).toList();
    }

    @Test
    void theSameSeedAndDataGiveTheSameSplit() {
        Map<Split, List<Example>> a = DatasetSplitter.split(examples(100), SplitSpec.ratios(0.1, 0.1, 7));
        Map<Split, List<Example>> b = DatasetSplitter.split(examples(100), SplitSpec.ratios(0.1, 0.1, 7));
        assertEquals(a, b);
    }

    @Test
    void anotherSeedGivesAnotherSplit() {
        assertNotEquals(lines(DatasetSplitter.split(examples(100), SplitSpec.ratio(0.2, 1)).get(Split.VALIDATION)),
                lines(DatasetSplitter.split(examples(100), SplitSpec.ratio(0.2, 2)).get(Split.VALIDATION)));
    }

    @Test
    void ratiosAreRoundedAndEveryExampleLandsInExactlyOneSplit() {
        Map<Split, List<Example>> s = DatasetSplitter.split(examples(95), SplitSpec.ratios(0.1, 0.05, 3));
        assertEquals(10, s.get(Split.VALIDATION).size());
        assertEquals(5, s.get(Split.TEST).size());
        assertEquals(80, s.get(Split.TRAIN).size());
        Set<Integer> seen = new HashSet<>();
        for (List<Example> part : s.values()) {
            for (Example e : part) {
                assertTrue(seen.add(e.source().line()));
            }
        }
        assertEquals(95, seen.size());
    }

    @Test
    void countsAreExactAndSplitsKeepInputOrder() {
        Map<Split, List<Example>> s = DatasetSplitter.split(examples(10), SplitSpec.counts(3, 0, 11));
        assertEquals(3, s.get(Split.VALIDATION).size());
        assertEquals(0, s.get(Split.TEST).size());
        List<Integer> train = lines(s.get(Split.TRAIN));
        assertEquals(train.stream().sorted().toList(), train);
    }

    @Test
    void aSmallPositiveRatioStillTakesOneExample() {
        assertEquals(1, DatasetSplitter.split(examples(3), SplitSpec.ratio(0.1, 0)).get(Split.VALIDATION).size());
    }

    @Test
    void aSplitThatWouldLeaveTrainEmptyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetSplitter.split(examples(3), SplitSpec.counts(2, 1, 0)));
        assertTrue(e.getMessage().contains("the training split would be empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SplitSpec.ratio(1.0, 0));
    }

    @Test
    void theLoaderSplitsWithTheGivenSpec() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(Map.of("prompt", "p" + i, "completion", "c" + i));
        }
        Dataset d = DatasetLoader.builder().split(SplitSpec.ratios(0.1, 0.1, 42)).build().load(rows);
        assertEquals(List.of(16, 2, 2), List.of(d.train().size(), d.validation().size(), d.test().size()));
        assertEquals(lines(d.validation()),
                lines(DatasetLoader.builder().split(SplitSpec.ratios(0.1, 0.1, 42)).build().load(rows).validation()));
    }
}

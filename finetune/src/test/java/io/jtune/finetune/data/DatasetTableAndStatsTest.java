package io.jtune.finetune.data;

import io.jtune.finetune.data.read.DatasetLoader;
import io.jtune.finetune.model.TinyModels;
import io.jtune.finetune.tokenize.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import tech.tablesaw.api.Table;

class DatasetTableAndStatsTest {
    private static Dataset messagesAndAlpaca() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(Map.of("instruction", "Name a colour.", "output", "Red.", "system", "Be brief."));
        rows.add(Map.of("messages", List.of(Map.of("role", "user", "content", "Hi"), Map.of("role", "assistant", "content", "Hello"),
                Map.of("role", "user", "content", "Bye"), Map.of("role", "assistant", "content", "Goodbye"))));
        rows.add(Map.of("prompt", "Count to three.", "completion", "One two three."));
        return DatasetLoader.builder().split(SplitSpec.counts(1, 0, 5)).build().load(rows);
    }

    @Test
    void theTableHasOneRowPerExampleWithTheFirstUserAndLastAssistantTurn() {
        Dataset d = messagesAndAlpaca();
        Table t = d.table();
        assertEquals(List.of("split", "source", "system", "user", "assistant", "turns"), t.columnNames());
        assertEquals(3, t.rowCount());
        for (int r = 0; r < t.rowCount(); r++) {
            if (t.stringColumn("source").get(r).equals("<list>:2")) {
                assertEquals("Hi", t.stringColumn("user").get(r));
                assertEquals("Goodbye", t.stringColumn("assistant").get(r));
                assertEquals(4, t.intColumn("turns").get(r));
            }
            if (t.stringColumn("source").get(r).equals("<list>:1")) {
                assertEquals("Be brief.", t.stringColumn("system").get(r));
            }
        }
        assertEquals(2, t.stringColumn("split").countOccurrences("train"));
        assertEquals(1, d.table(Split.VALIDATION).rowCount());
        assertEquals(0, d.table(Split.TEST).rowCount());
    }

    @Test
    void theSummaryShowsRowCountsPerSplit() {
        assertEquals("Dataset: 2 train, 1 validation, 0 test (3 rows read, 0 skipped (0 problems), 0 duplicates removed)",
                messagesAndAlpaca().toString());
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndP95IsTheNearestRank() {
        int[] oneToTwenty = new int[20];
        for (int i = 0; i < 20; i++) {
            oneToTwenty[i] = 20 - i;
        }
        LengthStats s = LengthStats.of(oneToTwenty);
        assertEquals(new LengthStats(20, 1, 10.5, 19, 20, 10.5), s);
        int[] oneToHundred = new int[100];
        for (int i = 0; i < 100; i++) {
            oneToHundred[i] = i + 1;
        }
        assertEquals(95, LengthStats.of(oneToHundred).p95());
        assertEquals(50.5, LengthStats.of(oneToHundred).median());
        LengthStats odd = LengthStats.of(new int[] {7, 3, 100});
        assertEquals(7.0, odd.median());
        assertEquals(100, odd.p95());
        assertEquals(new LengthStats(0, 0, 0, 0, 0, 0), LengthStats.of(new int[0]));
        assertEquals("min 1, median 10.5, p95 19, max 20", s.toString());
    }

    @Test
    void describeCountsTokensOfPromptResponseAndTotalAndTheTruncatedOnes(@TempDir Path dir) throws Exception {
        TinyModels.write(dir, TinyModels.TEST_LLAMA, 3);
        try (Tokenizer tok = Tokenizer.load(dir)) {
            Dataset d = messagesAndAlpaca();
            List<Example> all = d.all();
            int[] prompt = new int[3];
            int[] response = new int[3];
            int[] total = new int[3];
            for (int i = 0; i < 3; i++) {
                List<Message> m = all.get(i).messages();
                StringBuilder p = new StringBuilder();
                for (int k = 0; k < m.size() - 1; k++) {
                    p.append(k > 0 ? "\n" : "").append(m.get(k).content());
                }
                prompt[i] = tok.encode(p.toString(), false).length;
                response[i] = tok.encode(m.get(m.size() - 1).content(), false).length;
                total[i] = prompt[i] + response[i];
            }
            int[] sorted = total.clone();
            java.util.Arrays.sort(sorted);
            int maxLen = sorted[1];
            DatasetStats stats = d.describe(tok, maxLen);
            assertEquals(LengthStats.of(prompt), stats.prompt());
            assertEquals(LengthStats.of(response), stats.response());
            assertEquals(LengthStats.of(total), stats.total());
            assertEquals(sorted[2] > maxLen ? 1 : 0, stats.truncated());
            assertEquals(3, stats.totalLengths().size());
            assertTrue(stats.toString().contains("over maxLen " + maxLen), stats.toString());
        }
    }

    @Test
    void theHistogramBinsTotalLengthsInAtMostTwentyBinsOfEqualWidth() {
        List<Integer> totals = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            totals.add(10 + i);
        }
        int[] arr = totals.stream().mapToInt(Integer::intValue).toArray();
        LengthStats s = LengthStats.of(arr);
        LengthHistogram h = new DatasetStats(s, s, s, 64, 46, totals).histogram();
        assertEquals(20, h.bins());
        assertEquals(21, h.edges().size());
        assertEquals(List.of(10, 15), h.edges().subList(0, 2));
        assertEquals("10-14", h.label(0));
        assertEquals(100, h.counts().stream().mapToInt(Integer::intValue).sum());
        LengthHistogram single = new DatasetStats(LengthStats.of(new int[] {5}), s, LengthStats.of(new int[] {5}), 8, 0,
                List.of(5)).histogram();
        assertEquals(List.of(5, 6), single.edges());
        assertEquals(List.of(1), single.counts());
        assertEquals("5", single.label(0));
        assertEquals(0, LengthHistogram.of(List.of(), 20).bins());
    }
}

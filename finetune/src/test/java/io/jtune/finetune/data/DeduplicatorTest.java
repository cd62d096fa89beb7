package io.jtune.finetune.data;

import io.jtune.finetune.data.read.DatasetLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DeduplicatorTest {
    private static Example ex(int line, String user, String assistant) {
        return new Example(List.of(Message.user(user), Message.assistant(assistant)), Map.of(), new SourceRef("f", line));
    }

    private final List<Example> examples = List.of(
            ex(1, "What is Java?", "A language."),
            ex(2, "What is Java?", "A language."),
            ex(3, "  what   is\tJAVA? ", "a language."),
            ex(4, "What is Java?", "An island."));

    @Test
    void exactDedupKeepsTheFirstAndSaysWhichSourceEachDuplicateRepeats() {
        Deduplicator.Result r = Deduplicator.dedup(examples, DedupMode.EXACT);
        assertEquals(List.of(1, 3, 4), r.kept().stream().map(e -> e.source().line()).toList());
        assertEquals(List.of(new Duplicate(new SourceRef("f", 2), new SourceRef("f", 1))), r.duplicates());
        assertEquals("f:2 duplicates f:1", r.duplicates().get(0).toString());
    }

    @Test
    void normalizedDedupIgnoresWhitespaceRunsAndCase() {
        Deduplicator.Result r = Deduplicator.dedup(examples, DedupMode.NORMALIZED);
        assertEquals(List.of(1, 4), r.kept().stream().map(e -> e.source().line()).toList());
        assertEquals(new Duplicate(new SourceRef("f", 3), new SourceRef("f", 1)), r.duplicates().get(1));
    }

    @Test
    void theWholeConversationIncludingRolesIsCompared() {
        Example withSystem = new Example(List.of(Message.system("Be brief."), Message.user("What is Java?"),
                Message.assistant("A language.")), Map.of(), new SourceRef("f", 9));
        assertEquals(0, Deduplicator.dedup(List.of(examples.get(0), withSystem), DedupMode.NORMALIZED).duplicates().size());
    }

    @Test
    void noneKeepsEverything() {
        assertEquals(4, Deduplicator.dedup(examples, DedupMode.NONE).kept().size());
    }

    @Test
    void underSkipTheLoaderRemovesDuplicatesBeforeSplittingAndReportsThem() {
        List<Map<String, Object>> rows = List.of(Map.of("prompt", "a", "completion", "b"),
                Map.of("prompt", "A ", "completion", "b"), Map.of("prompt", "c", "completion", "d"));
        Dataset d = DatasetLoader.builder().policy(LoadPolicy.SKIP).dedup(DedupMode.NORMALIZED).build().load(rows);
        assertEquals(2, d.train().size());
        assertEquals(List.of(new Duplicate(new SourceRef("<list>", 2), new SourceRef("<list>", 1))), d.report().duplicates());
        assertEquals(0, DatasetLoader.builder().build().load(rows).report().duplicates().size(),
                "exact dedup, the default, keeps rows that differ in case or spaces");
    }
}

package io.jtune.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
    @TempDir
    Path dir;

    @Test
    void eachKernelStartIsANewSessionAndHistoryPersists() {
        Path file = dir.resolve("h.jsonl");
        History first = new History(file);
        first.add(1, "int a = 1;");
        first.add(2, "a + 1");
        History second = new History(file);
        assertEquals(first.session() + 1, second.session());
        second.add(1, "int b = 2;");
        assertEquals(List.of("a + 1", "int b = 2;"), second.tail(2).stream().map(History.Entry::source).toList());
        assertEquals(List.of("int a = 1;", "a + 1"),
                second.range(-1, 1, 0).stream().map(History.Entry::source).toList(), "session -1 is the previous one");
        assertEquals(List.of("int b = 2;"), second.range(0, 1, 2).stream().map(History.Entry::source).toList());
    }

    @Test
    void searchMatchesAGlobAndCanKeepOnlyUniqueEntries() {
        History h = new History(dir.resolve("h.jsonl"));
        h.add(1, "int a = 1;");
        h.add(2, "a + 1");
        h.add(3, "int a = 1;");
        assertEquals(2, h.search("int *", 0, false).size());
        assertEquals(1, h.search("int *", 0, true).size());
        assertEquals(3, h.search("*", 0, false).size());
        assertEquals(1, h.search("*", 1, false).size());
    }
}

package io.jtune.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;

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

    @Test
    void aLongCellIsKeptUpToTheLimitWithAMarkerSayingHowMuchWasCut() throws Exception {
        Path file = dir.resolve("h.jsonl");
        History h = new History(file);
        String big = "x".repeat(1_000_000);
        h.add(1, big);
        String kept = h.tail(1).get(0).source();
        assertTrue(kept.startsWith("x".repeat(History.MAX_ENTRY_CHARS)), "the start of the cell is kept");
        assertTrue(kept.contains(History.CUT_MARKER.strip()) && kept.contains((1_000_000 - History.MAX_ENTRY_CHARS)
                + " more characters not kept"), kept.substring(History.MAX_ENTRY_CHARS));
        assertTrue(Files.size(file) < History.MAX_ENTRY_CHARS + 1_000, "the file holds the cut entry only");
        assertEquals(kept, new History(file).tail(1).get(0).source(), "the cut entry is read back as written");
        assertEquals("short", History.capped("short"));
    }

    @Test
    void aFileOverTheCapLosesItsOldestSessionsAtTheNextStart() throws Exception {
        Path file = dir.resolve("h.jsonl");
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        String cell = "y".repeat(19_000);
        for (int session = 1; session <= 12; session++) {
            for (int line = 1; line <= 40; line++) {
                lines.add(json.createObjectNode().put("session", session).put("line", line)
                        .put("source", session + ":" + line + ":" + cell).toString());
            }
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
        assertTrue(Files.size(file) > History.MAX_FILE_BYTES, "the fixture is over the cap");

        History h = new History(file);
        assertTrue(Files.size(file) <= History.KEEP_FILE_BYTES, "trimmed to " + Files.size(file));
        assertEquals(13, h.session(), "session numbers go on from the newest kept session");
        assertTrue(h.range(12, 1, 0).size() == 40, "the newest session is kept whole");
        assertTrue(h.range(1, 1, 0).isEmpty(), "the oldest session is gone");
        List<Integer> sessions = h.tail(10_000).stream().map(History.Entry::session).distinct().toList();
        assertEquals(12, sessions.get(sessions.size() - 1));
        assertEquals(sessions.size(), 12 - sessions.get(0) + 1, "whole sessions are dropped, oldest first: " + sessions);
        assertEquals(Files.readAllLines(file).size(), h.tail(10_000).size(), "memory and file agree");
    }

    @Test
    void oneSessionOverTheCapIsKeptRatherThanLost() throws Exception {
        Path file = dir.resolve("h.jsonl");
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (int line = 1; line <= 500; line++) {
            lines.add(json.createObjectNode().put("session", 1).put("line", line)
                    .put("source", "z".repeat(19_000)).toString());
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
        History h = new History(file);
        assertEquals(500, h.range(1, 1, 0).size());
        assertEquals(2, h.session());
    }
}

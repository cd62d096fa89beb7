package io.jtune.finetune.data.read;

import io.jtune.finetune.data.Dataset;
import io.jtune.finetune.data.DatasetException;
import io.jtune.finetune.data.DedupMode;
import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.data.SourceRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class DatasetLoaderReadsTest {
    private static Dataset load(String name) {
        return DatasetLoader.builder().dedup(DedupMode.NONE).build().load(TestData.path(name));
    }

    @Test
    void alpacaRowsBecomeUserAndAssistantTurnsWithTheInputAfterABlankLine() {
        List<Example> ex = load("good/alpaca.jsonl").train();
        assertEquals(3, ex.size());
        assertEquals(List.of(Message.user("Name the capital of France."), Message.assistant("Paris.")), ex.get(0).messages());
        assertEquals(List.of(Message.system("You are a translator."), Message.user("Translate to German.\n\nGood morning"),
                Message.assistant("Guten Morgen")), ex.get(1).messages());
        assertEquals(Map.of("instruction", "Translate to German.", "input", "Good morning", "output", "Guten Morgen",
                "system", "You are a translator."), ex.get(1).fields());
        assertEquals(Message.user("Sum the numbers."), ex.get(2).messages().get(0));
        assertEquals("", ex.get(0).fields().get("input"));
    }

    @Test
    void jsonlLineNumbersCountBlankLines() {
        List<Example> ex = load("good/alpaca.jsonl").train();
        assertEquals(new SourceRef("alpaca.jsonl", 1), ex.get(0).source());
        assertEquals(new SourceRef("alpaca.jsonl", 2), ex.get(1).source());
        assertEquals(new SourceRef("alpaca.jsonl", 4), ex.get(2).source());
    }

    @Test
    void promptCompletionRowsBecomeOneExchange() {
        List<Example> ex = load("good/prompt_completion.jsonl").train();
        assertEquals(List.of(Message.user("2 + 2 ="), Message.assistant(" 4")), ex.get(0).messages());
        assertEquals(Map.of("prompt", "2 + 2 =", "completion", " 4"), ex.get(0).fields());
        assertEquals(Message.system("Be brief."), ex.get(1).messages().get(0));
    }

    @Test
    void messagesRowsKeepEveryTurnOfAMultiTurnConversation() {
        List<Example> ex = load("good/messages.jsonl").train();
        assertEquals(5, ex.get(0).messages().size());
        assertEquals(Message.assistant("Goodbye."), ex.get(0).messages().get(4));
        assertEquals(List.of(Message.user("Ping"), Message.assistant("Pong")), ex.get(1).messages());
    }

    @Test
    void shareGptConversationsInAJsonArrayMapTheirRolesAndKeepTheLineEachElementStartsOn() {
        List<Example> ex = load("good/sharegpt.json").train();
        assertEquals(List.of(Message.system("Be kind."), Message.user("Hello"), Message.assistant("Hi there")),
                ex.get(0).messages());
        assertEquals(List.of(Message.user("What is 1+1?"), Message.assistant("2")), ex.get(1).messages());
        assertEquals(new SourceRef("sharegpt.json", 2), ex.get(0).source());
        assertEquals(new SourceRef("sharegpt.json", 3), ex.get(1).source());
    }

    @Test
    void quotedCsvFieldsKeepCommasNewlinesAndDoubledQuotesAndRowsKeepThePhysicalLineTheyStartOn() {
        List<Example> ex = load("good/quoted.csv").train();
        assertEquals(2, ex.size());
        assertEquals("Quote, with comma", ex.get(0).fields().get("instruction"));
        assertEquals("He said \"hi\"", ex.get(0).fields().get("input"));
        assertEquals("line one\nline two", ex.get(0).fields().get("output"));
        assertEquals(List.of(Message.user("Plain"), Message.assistant("Done")), ex.get(1).messages());
        assertEquals(new SourceRef("quoted.csv", 2), ex.get(0).source());
        assertEquals(new SourceRef("quoted.csv", 4), ex.get(1).source(), "after a field over two lines");
    }

    @Test
    void tsvFilesAreReadWithTabs() {
        List<Example> ex = load("good/alpaca.tsv").train();
        assertEquals(List.of(Message.user("Say hi"), Message.assistant("Hi")), ex.get(0).messages());
        assertEquals(List.of(Message.user("Add\n\n1 2"), Message.assistant("3")), ex.get(1).messages());
    }

    @Test
    void aByteOrderMarkAndCrlfLineEndsAreDropped() {
        List<Example> ex = load("good/bom_crlf.jsonl").train();
        assertEquals(2, ex.size());
        assertEquals("first", ex.get(0).fields().get("prompt"));
        assertEquals("two", ex.get(1).fields().get("completion"));
    }

    @Test
    void aColumnMappingReadsOtherColumnNames() {
        Dataset d = DatasetLoader.builder().columnMapping(Map.of("instruction", "question", "output", "answer"))
                .build().load(TestData.path("good/qa.csv"));
        assertEquals(List.of(Message.user("What is Java?"), Message.assistant("A language.")), d.train().get(0).messages());
    }

    @Test
    void aFolderIsReadInFileNameOrderIgnoringOtherFiles() {
        List<Example> ex = load("good/folder").train();
        assertEquals(List.of("a1", "a2", "b1"), ex.stream().map(e -> e.fields().get("instruction")).toList());
        assertEquals(new SourceRef("b.jsonl", 1), ex.get(2).source());
    }

    @Test
    void aJsonFileWithOneObjectPerLineIsReadAsJsonLines(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("lines.json");
        Files.writeString(f, "{\"prompt\":\"a\",\"completion\":\"b\"}\n{\"prompt\":\"c\",\"completion\":\"d\"}\n");
        assertEquals(2, DatasetLoader.builder().build().load(f).train().size());
    }

    @Test
    void aListOfMapsIsLoadedWithListRowNumbers() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(Map.of("instruction", "i", "output", "o"));
        Map<String, Object> second = new LinkedHashMap<>();
        second.put("prompt", "p");
        second.put("completion", "c");
        rows.add(second);
        Dataset d = DatasetLoader.builder().build().load(rows);
        assertEquals(2, d.train().size());
        assertEquals(new SourceRef("<list>", 2), d.train().get(1).source());
    }

    @Test
    void aTablesawTableIsLoadedWithTableRowNumbers() {
        Table t = Table.create("t", StringColumn.create("instruction", "a", "b"), StringColumn.create("output", "x", "y"));
        Dataset d = DatasetLoader.builder().build().load(t);
        assertEquals(List.of(Message.user("b"), Message.assistant("y")), d.train().get(1).messages());
        assertEquals(new SourceRef("<table>", 2), d.train().get(1).source());
    }

    @Test
    void aNumericTableColumnIsReportedAsANumber() {
        Table t = Table.create("t", StringColumn.create("instruction", "a"), IntColumn.create("output", new int[] {7}));
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.builder().build().load(t));
        assertEquals("<table>:1: output: output must be a string, got number", e.problems().get(0).toString());
    }

    @Test
    void aMissingPathOrUnknownExtensionIsRefusedWithItsName(@TempDir Path dir) throws Exception {
        DatasetException missing = assertThrows(DatasetException.class,
                () -> DatasetLoader.loadDefault(dir.resolve("nope.jsonl")));
        assertTrue(missing.getMessage().contains("no such file or folder"), missing.getMessage());
        Path txt = Files.writeString(dir.resolve("data.txt"), "x");
        DatasetException unknown = assertThrows(DatasetException.class, () -> DatasetLoader.loadDefault(txt));
        assertTrue(unknown.getMessage().contains("expected a .jsonl"), unknown.getMessage());
    }
}

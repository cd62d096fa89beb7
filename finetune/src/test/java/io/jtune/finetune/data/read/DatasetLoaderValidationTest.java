package io.jtune.finetune.data.read;

import io.jtune.finetune.data.Dataset;
import io.jtune.finetune.data.DatasetException;
import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.LoadPolicy;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.ValidationProblem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetLoaderValidationTest {
    private static List<String> problems(String badFile) {
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetLoader.builder().maxLineBytes(1024).build().load(TestData.path("bad/" + badFile)));
        return e.problems().stream().map(ValidationProblem::toString).toList();
    }

    private static Dataset skip(String badFile) {
        return DatasetLoader.builder().policy(LoadPolicy.SKIP).maxLineBytes(1024).build()
                .load(TestData.path("bad/" + badFile));
    }

    @Test
    void brokenJsonIsReportedOnItsLineWithTheParsersColumn() {
        List<String> p = problems("broken_json.jsonl");
        assertEquals(1, p.size());
        assertTrue(p.get(0).startsWith("broken_json.jsonl:3: invalid JSON at column 52: Unexpected end-of-input"), p.get(0));
        assertTrue(!p.get(0).contains("[Source"), p.get(0));
    }

    @Test
    void brokenJsonArrayNamesTheLineTheElementStartsOnAndTheParsersLineAndColumn() {
        assertEquals(List.of("broken_array.json:3: invalid JSON at line 3, column 34: Unexpected character ('}' (code 125)):"
                + " expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false');"
                + " the rest of the file was not read"), problems("broken_array.json"));
    }

    @Test
    void aMissingOrEmptyRequiredFieldIsNamed() {
        assertEquals(List.of("missing_output.jsonl:2: output: missing required field",
                "missing_output.jsonl:3: output: output is empty"), problems("missing_output.jsonl"));
    }

    @Test
    void wrongTypesSayWhatWasExpectedAndWhatWasFound() {
        assertEquals(List.of("wrong_types.jsonl:1: output: output must be a string, got number",
                "wrong_types.jsonl:2: instruction: instruction must be a string, got array",
                "wrong_types.jsonl:3: completion: completion must be a string, got null",
                "wrong_types.jsonl:4: messages: messages must be an array, got string",
                "wrong_types.jsonl:5: expected a JSON object, got array"), problems("wrong_types.jsonl"));
    }

    @Test
    void anEmptyFileHasNoExamples() {
        assertEquals(List.of("empty.jsonl: no examples"), problems("empty.jsonl"));
    }

    @Test
    void anUnknownRoleIsNamedWithTheAllowedOnes() {
        assertEquals(List.of("unknown_role.jsonl:1: messages[1].role: unknown role 'bot' (expected assistant, system, user)",
                "unknown_role.jsonl:2: conversations[1].from: unknown role 'robot'"
                        + " (expected assistant, gpt, human, system, user)"), problems("unknown_role.jsonl"));
    }

    @Test
    void conversationsMustAlternateAndEndWithAnAssistantTurn() {
        assertEquals(List.of("bad_conversations.jsonl:1: messages: conversation has no assistant turn",
                "bad_conversations.jsonl:2: messages: conversation must end with an assistant turn",
                "bad_conversations.jsonl:3: messages[0].role: expected a user turn, got assistant"
                        + " (turns must alternate user, assistant)",
                "bad_conversations.jsonl:4: messages[1].role: a system turn is only allowed first",
                "bad_conversations.jsonl:5: messages: messages is empty"), problems("bad_conversations.jsonl"));
    }

    @Test
    void nonUtf8BytesAreReportedWithTheByteAndItsColumn() {
        assertEquals(List.of("non_utf8.jsonl:2: invalid UTF-8: byte 0xE9 at byte column 21; save the file as UTF-8"),
                problems("non_utf8.jsonl"));
    }

    @Test
    void aLineOverTheLimitIsRefused() {
        assertEquals(List.of("huge_line.jsonl:2: line is 3041 bytes, over the limit of 1024 bytes; it was not read"),
                problems("huge_line.jsonl"));
    }

    @Test
    void aLineOverTheDefaultTenMegabytesIsRefusedAndTheNextLineStillRead(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("big.jsonl");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write("{\"instruction\": \"".getBytes(StandardCharsets.UTF_8));
            byte[] block = "x".repeat(1 << 16).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 161; i++) {
                out.write(block);
            }
            out.write("\", \"output\": \"o\"}\n{\"instruction\": \"i\", \"output\": \"o\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        Dataset d = DatasetLoader.builder().policy(LoadPolicy.SKIP).build().load(f);
        assertEquals(1, d.train().size());
        assertEquals(new SourceRef("big.jsonl", 2), d.train().get(0).source());
        String problem = d.report().problems().get(0).toString();
        assertTrue(problem.startsWith("big.jsonl:1: line is ") && problem.contains("over the limit of 10485760 bytes"),
                problem);
    }

    @Test
    void csvRecordsWithTheWrongFieldCountOrAnOpenQuoteAreReported() {
        assertEquals(List.of("bad_records.csv:3: record has 3 fields, the header has 2",
                "bad_records.csv:4: quoted field is never closed; the rest of the file was not read"),
                problems("bad_records.csv"));
    }

    @Test
    void anUnrecognisedRowSuggestsAColumnMapping() {
        List<String> p = problems("unrecognised.jsonl");
        assertTrue(p.get(0).startsWith("unrecognised.jsonl:1: unrecognised row with columns [other, unrelated]"), p.get(0));
        assertTrue(p.get(0).endsWith("pass a column mapping for other names"), p.get(0));
    }

    @Test
    void aMappedColumnMissingFromARowIsAProblem() {
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.builder()
                .columnMapping(Map.of("instruction", "q", "output", "answer")).build().load(TestData.path("good/qa.csv")));
        assertEquals("qa.csv:2: instruction: column 'q' (mapped to instruction) is missing; columns are [answer, question]",
                e.problems().get(0).toString());
    }

    @Test
    void strictLoadsNothingAndListsEveryProblemInTheMessage() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetLoader.builder().build().load(TestData.path("bad/wrong_types.jsonl")));
        assertTrue(e.getMessage().contains("5 problems, nothing was loaded"), e.getMessage());
        assertTrue(e.getMessage().endsWith("wrong_types.jsonl:5: expected a JSON object, got array"), e.getMessage());
    }

    @Test
    void strictListsAtMostTheLimitThenSaysHowManyMore() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            rows.add(Map.of("instruction", "i" + i));
        }
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.builder().build().load(rows));
        String[] lines = e.getMessage().split("\n");
        assertEquals(22, lines.length);
        assertEquals("<list>:20: output: missing required field", lines[20]);
        assertEquals("... and 5 more", lines[21]);
        assertEquals(25, e.problems().size());
    }

    @Test
    void skipLeavesBadRowsOutAndReportsEachOne() {
        Dataset d = skip("broken_json.jsonl");
        assertEquals(3, d.train().size());
        assertEquals(1, d.report().problems().size());
        assertEquals(4, d.report().rowsRead());
        assertEquals(1, d.report().rowsSkipped());
        assertTrue(d.toString().contains("3 train"), d.toString());
        assertTrue(d.toString().contains("1 skipped"), d.toString());
    }

    @Test
    void skipKeepsTheGoodLinesAroundBadBytesAndHugeLines() {
        assertEquals(List.of(new SourceRef("non_utf8.jsonl", 1), new SourceRef("non_utf8.jsonl", 3)),
                skip("non_utf8.jsonl").train().stream().map(Example::source).toList());
        assertEquals(2, skip("huge_line.jsonl").train().size());
    }

    @Test
    void skipCountsARowWithSeveralProblemsOnce() {
        List<Map<String, Object>> rows = List.of(Map.of("instruction", 1, "output", 2),
                Map.of("instruction", "ok", "output", "fine"));
        Dataset d = DatasetLoader.builder().policy(LoadPolicy.SKIP).build().load(rows);
        assertEquals(2, d.report().problems().size());
        assertEquals(1, d.report().rowsSkipped());
        assertEquals(2, d.report().rowsRead());
    }

    @Test
    void skipStillRefusesWhenNoRowIsValid() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetLoader.builder().policy(LoadPolicy.SKIP).build().load(TestData.path("bad/empty.jsonl")));
        assertTrue(e.getMessage().contains("no valid examples"), e.getMessage());
        assertTrue(e.getMessage().contains("empty.jsonl: no examples"), e.getMessage());
    }

    @Test
    void aCsvHeaderWithARepeatedColumnIsRefused(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("h.csv"), "instruction,output,output\na,b,c\n");
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.loadDefault(f));
        assertEquals(List.of("h.csv: header: column 'output' appears twice in the header (line 1)"),
                e.problems().stream().map(ValidationProblem::toString).toList());
    }

    @Test
    void aRepeatedJsonKeyIsInvalidJson(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("k.jsonl"), "{\"instruction\": \"a\", \"output\": \"b\", \"output\": \"c\"}\n");
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.loadDefault(f));
        String p = e.problems().get(0).toString();
        assertTrue(p.startsWith("k.jsonl:1: invalid JSON at column ") && p.contains("Duplicate field 'output'"), p);
    }
}

package io.jtune.finetune.data.read;

import io.jtune.finetune.data.Dataset;
import io.jtune.finetune.data.DatasetException;
import io.jtune.finetune.data.DedupMode;
import io.jtune.finetune.data.Duplicate;
import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.LoadPolicy;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.ValidationProblem;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Problems as users meet them: physical lines, duplicates under strict, mixed formats, UTF-16/32 files. */
class DatasetLoaderFileProblemsTest {
    private static final String ALPACA_1 = "{\"instruction\": \"Name a colour.\", \"output\": \"Red.\"}";
    private static final String ALPACA_2 = "{\"instruction\": \"Name a fruit.\", \"output\": \"Apple.\"}";
    private static final String ALPACA_3 = "{\"instruction\": \"Name a tree.\", \"output\": \"Oak.\"}";
    private static final String MESSAGES = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"},"
            + " {\"role\": \"assistant\", \"content\": \"Hello\"}]}";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static Dataset skip(Path file) {
        return DatasetLoader.builder().policy(LoadPolicy.SKIP).build().load(file);
    }

    private static List<String> strictProblems(DatasetLoader loader, Path file) {
        DatasetException e = assertThrows(DatasetException.class, () -> loader.load(file));
        return e.problems().stream().map(ValidationProblem::toString).toList();
    }

    @Test
    void aJsonArrayReportsTheLineEachElementStartsOnInProblemsAndSources() throws IOException {
        Path f = write("pretty.json", "[\n  {\n    \"instruction\": \"a\",\n    \"output\": \"b\"\n  },\n"
                + "  {\n    \"instruction\": \"c\"\n  },\n  " + ALPACA_1 + "\n]\n");
        Dataset d = skip(f);
        assertEquals(List.of(new SourceRef("pretty.json", 2), new SourceRef("pretty.json", 9)),
                d.train().stream().map(Example::source).toList());
        assertEquals(List.of("pretty.json:6: output: missing required field"),
                d.report().problems().stream().map(ValidationProblem::toString).toList());
    }

    @Test
    void csvAndTsvRowsKeepThePhysicalLineOfTheirFirstLineAfterAQuotedMultiLineField() throws IOException {
        Path csv = write("multi.csv", "instruction,output\n\"one\ntwo\nthree\",fine\n\nshort\nlast,row\n");
        Dataset d = skip(csv);
        assertEquals(List.of(new SourceRef("multi.csv", 2), new SourceRef("multi.csv", 7)),
                d.train().stream().map(Example::source).toList());
        assertEquals("multi.csv:6: record has 1 fields, the header has 2", d.report().problems().get(0).toString());
        Path tsv = write("multi.tsv", "instruction\toutput\n\"a\r\nb\"\tc\r\nd\t\r\n");
        assertEquals(List.of("multi.tsv:4: output: output is empty"),
                strictProblems(DatasetLoader.builder().build(), tsv));
    }

    @Test
    void underStrictADuplicateIsAProblemNamingBothLinesAndNothingLoads() throws IOException {
        Path f = write("data.jsonl", String.join("\n", ALPACA_1, ALPACA_2, ALPACA_1, ALPACA_3) + "\n");
        List<String> p = strictProblems(DatasetLoader.builder().build(), f);
        assertEquals(List.of("data.jsonl:3: duplicate of line 1 (the same conversation, DedupMode.EXACT)"), p);
        Path spaced = write("spaced.jsonl", ALPACA_1 + "\n" + ALPACA_1.replace("Red.", " red. ") + "\n");
        assertTrue(strictProblems(DatasetLoader.builder().dedup(DedupMode.NORMALIZED).build(), spaced).get(0)
                .startsWith("spaced.jsonl:2: duplicate of line 1 (the same conversation once spaces and case are ignored"));
        assertEquals(4, DatasetLoader.builder().dedup(DedupMode.NONE).build().load(f).train().size(),
                "with dedup off both copies load");
    }

    @Test
    void underSkipTheLaterCopyIsDroppedAndReported() throws IOException {
        Path f = write("data.jsonl", String.join("\n", ALPACA_1, ALPACA_2, ALPACA_1) + "\n");
        Dataset d = skip(f);
        assertEquals(2, d.train().size());
        assertTrue(d.report().problems().isEmpty());
        assertEquals(List.of(new Duplicate(new SourceRef("data.jsonl", 3), new SourceRef("data.jsonl", 1))),
                d.report().duplicates());
    }

    @Test
    void rowsOfAnotherFormatThanTheFirstValidRowAreProblemsWithTheirLines() throws IOException {
        Path f = write("mixed.jsonl", String.join("\n", "{\"instruction\": \"x\"}", ALPACA_1, MESSAGES, ALPACA_2,
                MESSAGES.replace("Hi", "Hey")) + "\n");
        Dataset d = skip(f);
        assertEquals(List.of(new SourceRef("mixed.jsonl", 2), new SourceRef("mixed.jsonl", 4)),
                d.train().stream().map(Example::source).toList());
        List<String> p = d.report().problems().stream().map(ValidationProblem::toString).toList();
        assertEquals(3, p.size(), p.toString());
        assertEquals("mixed.jsonl:3: messages row in a file of alpaca rows (the format of its first valid row, line 2);"
                + " a file holds one format: convert the row or move it to a file of its own", p.get(1));
        assertTrue(p.get(2).startsWith("mixed.jsonl:5: messages row in a file of alpaca rows"), p.get(2));
        assertEquals(3, strictProblems(DatasetLoader.builder().build(), f).size());
    }

    @Test
    void aGivenFormatHoldsFromTheFirstRow() throws IOException {
        Path f = write("chat.jsonl", MESSAGES + "\n" + ALPACA_1 + "\n");
        List<String> p = strictProblems(DatasetLoader.builder().format(RowFormat.ALPACA).build(), f);
        assertEquals(List.of("chat.jsonl:1: messages row in a file of alpaca rows (the format given to the loader);"
                + " a file holds one format: convert the row or move it to a file of its own"), p);
    }

    @Test
    void aUtf16OrUtf32FileIsOneFileProblemNamingItsEncoding() throws IOException {
        String text = ALPACA_1 + "\n" + ALPACA_2 + "\n" + ALPACA_3 + "\n";
        Object[][] cases = {
            {"UTF-16", "UTF-16BE (with a byte order mark)"},
            {"UTF-16LE", "UTF-16LE (no byte order mark; NUL bytes between the characters)"},
            {"UTF-16BE", "UTF-16BE (no byte order mark; NUL bytes between the characters)"},
            {"UTF-32LE", "UTF-32LE (no byte order mark; NUL bytes between the characters)"},
            {"UTF-32BE", "UTF-32BE (no byte order mark; NUL bytes between the characters)"},
        };
        for (Object[] c : cases) {
            Path f = Files.writeString(dir.resolve("wide.jsonl"), text, Charset.forName((String) c[0]));
            assertEquals(List.of("wide.jsonl: the file is encoded as " + c[1] + ", not UTF-8; it was not read:"
                    + " save it as UTF-8"), strictProblems(DatasetLoader.builder().build(), f), (String) c[0]);
        }
        byte[] bom = {(byte) 0xFF, (byte) 0xFE};
        byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
        byte[] withBom = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, withBom, 0, 2);
        System.arraycopy(body, 0, withBom, 2, body.length);
        Path f = Files.write(dir.resolve("bom.csv"), withBom);
        assertEquals(List.of("bom.csv: the file is encoded as UTF-16LE (with a byte order mark), not UTF-8;"
                + " it was not read: save it as UTF-8"), strictProblems(DatasetLoader.builder().build(), f));
    }
}

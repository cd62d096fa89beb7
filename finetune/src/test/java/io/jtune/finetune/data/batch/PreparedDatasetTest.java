package io.jtune.finetune.data.batch;

import io.jtune.finetune.data.format.FormatTestTokenizer;
import io.jtune.finetune.data.format.FormattedExample;
import io.jtune.finetune.data.format.LabelMasker;
import io.jtune.finetune.data.format.LabelingResult;
import io.jtune.finetune.data.format.PromptFormat;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreparedDatasetTest {
    @TempDir
    Path dir;

    private PreparedDataset prepared(Path source) throws IOException {
        Tokenizer tok = FormatTestTokenizer.get();
        Files.writeString(source, "{\"instruction\": \"x\", \"output\": \"y\"}\n");
        List<FormattedExample> fs = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            fs.add(PromptFormat.alpaca().format(FormatTestTokenizer.alpaca("Question " + i, "", "Answer " + i, i)));
        }
        fs.add(PromptFormat.alpaca().format(FormatTestTokenizer.alpaca("word ".repeat(300), "", "late", 6)));
        LabelingResult r = new LabelMasker(tok, 256).maskAll(fs);
        return PreparedDataset.of(r, List.of(source), PromptFormat.alpaca(), tok, 256, 3);
    }

    @Test
    void saveAndLoadRoundTripTheExamplesAndMetadata() throws IOException {
        PreparedDataset p = prepared(dir.resolve("train.jsonl"));
        PreparedMetadata saved = p.save(dir.resolve("prep"));
        PreparedDataset back = PreparedDataset.load(dir.resolve("prep"));
        assertEquals(p.examples(), back.examples());
        assertEquals(saved, back.metadata());
        PreparedMetadata m = back.metadata();
        assertEquals(5, m.examples());
        assertEquals(1, m.problems());
        assertEquals("alpaca", m.template());
        assertEquals(256, m.maxLen());
        assertEquals(3, m.seed());
        assertEquals(64, m.tokenizerSha256().length());
        assertEquals(PreparedMetadata.sha256(dir.resolve("train.jsonl")), m.sources().get(0).sha256());
        assertEquals(PreparedMetadata.DEFAULT_VERSION, m.jtuneVersion());
        assertEquals(List.of(), back.changedInputs());
    }

    @Test
    void loadFailsClearlyWhenTheExamplesFileIsMissing() throws IOException {
        prepared(dir.resolve("train.jsonl")).save(dir.resolve("prep"));
        Files.delete(dir.resolve("prep").resolve(PreparedDataset.EXAMPLES_FILE));
        NoSuchFileException x = assertThrows(NoSuchFileException.class, () -> PreparedDataset.load(dir.resolve("prep")));
        assertTrue(x.getMessage().contains("examples.jsonl"), x.getMessage());
    }

    @Test
    void loadFailsClearlyWhenTheExamplesFileIsCorrupt() throws IOException {
        prepared(dir.resolve("train.jsonl")).save(dir.resolve("prep"));
        Path file = dir.resolve("prep").resolve(PreparedDataset.EXAMPLES_FILE);
        Files.writeString(file, Files.readString(file).replaceFirst("\\d", "9"));
        IOException x = assertThrows(IOException.class, () -> PreparedDataset.load(dir.resolve("prep")));
        assertTrue(x.getMessage().contains("corrupt or changed"), x.getMessage());
    }

    @Test
    void loadFailsClearlyWhenTheMetadataIsCorruptOrMissing() throws IOException {
        prepared(dir.resolve("train.jsonl")).save(dir.resolve("prep"));
        Path meta = dir.resolve("prep").resolve(PreparedDataset.METADATA_FILE);
        Files.writeString(meta, "{ not json");
        IOException x = assertThrows(IOException.class, () -> PreparedDataset.load(dir.resolve("prep")));
        assertTrue(x.getMessage().contains("corrupt metadata"), x.getMessage());
        Files.delete(meta);
        assertThrows(NoSuchFileException.class, () -> PreparedDataset.load(dir.resolve("prep")));
    }

    @Test
    void changedSourceFileIsReported() throws IOException {
        Path source = dir.resolve("train.jsonl");
        prepared(source).save(dir.resolve("prep"));
        Files.writeString(source, "{}\n");
        List<String> changes = PreparedDataset.load(dir.resolve("prep")).changedInputs();
        assertEquals(1, changes.size());
        assertTrue(changes.get(0).contains("train.jsonl"), changes.get(0));
    }
}

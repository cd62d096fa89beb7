package io.jtune.finetune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.model.TinyModels;
import io.jtune.finetune.tokenize.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTokenizeTest {
    @TempDir
    Path dir;

    @Test
    void aLoadedSplitTokenizesWithResponseOnlyLabelsAndPacks() throws Exception {
        Path file = dir.resolve("legal.jsonl");
        LegalAuditGenerator gen = new LegalAuditGenerator();
        LegalAuditGenerator.writeJsonl(file, gen.generate(40, 7));
        Dataset d = DatasetLoader.builder().split(SplitSpec.ratio(0.25, 3)).build().load(file);
        TinyModels.write(dir.resolve("tiny"), TinyModels.TEST_LLAMA, 1);
        try (Tokenizer tok = Tokenizer.load(dir.resolve("tiny"))) {
            LabelingResult r = d.tokenize(Split.TRAIN, PromptFormat.alpaca(), new LabelMasker(tok, 1024));
            assertEquals(30, r.examples().size());
            assertTrue(r.problems().isEmpty(), r.problems().toString());
            for (TokenizedExample t : r.examples()) {
                assertEquals(-100, t.labels()[0], "the prompt is not trained");
                assertTrue(t.trainedTokens() > 0);
            }
            List<PackedSequence> packed = new Packer(1024).pack(r.examples());
            assertTrue(packed.size() < r.examples().size(), "several examples share a sequence");
        }
    }
}

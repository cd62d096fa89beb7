package io.jtune.finetune.data.format;

import io.jtune.finetune.data.Dataset;
import io.jtune.finetune.data.Split;
import io.jtune.finetune.data.SplitSpec;
import io.jtune.finetune.data.batch.PackedSequence;
import io.jtune.finetune.data.batch.Packer;
import io.jtune.finetune.data.read.DatasetLoader;
import io.jtune.finetune.data.samples.LegalAuditGenerator;
import io.jtune.finetune.model.TinyModels;
import io.jtune.finetune.tokenize.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            LabelingResult r = new LabelMasker(tok, 1024).maskAll(d.get(Split.TRAIN), PromptFormat.alpaca());
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

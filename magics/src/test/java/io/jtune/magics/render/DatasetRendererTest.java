package io.jtune.magics.render;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.data.Dataset;
import io.jtune.finetune.data.SplitSpec;
import io.jtune.finetune.data.read.DatasetLoader;
import io.jtune.finetune.data.samples.AcmeQuickstart;
import io.jtune.finetune.model.TinyModels;
import io.jtune.finetune.tokenize.Tokenizer;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetRendererTest {
    @TempDir
    Path dir;

    @Test
    void aDatasetRendersAsCountsPerSplitAndATableThroughTheKernelsRegistry() throws Exception {
        Path file = dir.resolve("acme.jsonl");
        AcmeQuickstart.writeJsonl(file, AcmeQuickstart.examples());
        Dataset d = DatasetLoader.builder().split(SplitSpec.ratio(0.2, 1)).build().load(file);
        MimeBundle b = Renderers.render(d);
        String html = (String) b.get(MimeBundle.TEXT_HTML);
        assertTrue(html.contains("<b>Dataset</b>: 16 train · 4 validation · 0 test"), html);
        assertTrue(html.contains("<table"), html);
        assertTrue(html.contains("What does Acme build?"), html);
        assertTrue(b.get(MimeBundle.TEXT_PLAIN).toString().startsWith("Dataset:"));
    }

    @Test
    void statsRenderAsATableWithTheHistogram() throws Exception {
        Path file = dir.resolve("acme.jsonl");
        AcmeQuickstart.writeJsonl(file, AcmeQuickstart.examples());
        Dataset d = DatasetLoader.builder().build().load(file);
        TinyModels.write(dir.resolve("tiny"), TinyModels.TEST_LLAMA, 1);
        try (Tokenizer tok = Tokenizer.load(dir.resolve("tiny"))) {
            String html = (String) Renderers.render(d.describe(tok, 16)).get(MimeBundle.TEXT_HTML);
            assertTrue(html.contains("<td>total</td>"), html);
            assertTrue(html.contains("would be truncated"), html);
            assertTrue(html.contains("data:image/png;base64,"), "histogram image");
        }
    }
}

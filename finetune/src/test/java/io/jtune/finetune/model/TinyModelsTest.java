package io.jtune.finetune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.tokenize.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyModelsTest {
    @TempDir
    Path dir;

    @Test
    void aTinyFolderHasEveryHuggingFaceFileAndLoadsBack() throws Exception {
        ModelConfig written = TinyModels.write(dir, TinyModels.TEST_QWEN2, 5);
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "generation_config.json")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertEquals(written, ModelConfigReader.read(dir));
        try (CausalLm model = ModelLoader.load(dir); Tokenizer tok = Tokenizer.load(dir)) {
            assertEquals(tok.vocabSize(), model.config().vocabSize());
            int[] ids = tok.encode("The supplier shall deliver the goods.", false);
            assertEquals("The supplier shall deliver the goods.", tok.decode(ids, false));
            String chat = tok.applyChatTemplate(List.of(Map.of("role", "user", "content", "Hi")), true);
            assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", chat);
            assertTrue(tok.eosIds().length >= 1);
            GenerationResult r = new Generator(model, t -> tok.decode(t, true))
                    .generate(tok.encode(chat, false), GenerationConfig.greedy(4, tok.eosIds()), null);
            assertTrue(r.tokens().length >= 1);
        }
    }

    @Test
    void everyPresetCanBeWritten() throws Exception {
        for (TinyModels.Spec spec : java.util.List.of(TinyModels.TEST_LLAMA, TinyModels.TEST_QWEN2, TinyModels.DEMO_LLAMA)) {
            ModelConfig c = TinyModels.write(dir.resolve(spec.name()), spec, 1);
            assertEquals(spec.vocabSize(), c.vocabSize(), spec.name());
        }
    }

    @Test
    void theSameSeedWritesTheSameWeights() throws Exception {
        TinyModels.write(dir.resolve("a"), TinyModels.TEST_LLAMA, 9);
        TinyModels.write(dir.resolve("b"), TinyModels.TEST_LLAMA, 9);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/model.safetensors")), Files.readAllBytes(dir.resolve("b/model.safetensors")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/tokenizer.json")), Files.readAllBytes(dir.resolve("b/tokenizer.json")));
    }
}

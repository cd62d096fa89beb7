package io.jtune.finetune.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.model.Architecture;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.model.TinyModels;
import io.jtune.finetune.tokenize.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small build of the base-model recipe: a loadable folder, a falling loss, a card and a log. */
class BaseModelBuilderTest {
    private static final TinyModels.Spec SMALL = new TinyModels.Spec("jtune-base-test", Architecture.LLAMA, 512, 32,
            64, 2, 2, 1, true, 512);

    @Test
    void buildsALoadableModelFolderWhoseLossFalls(@TempDir Path tmp) throws Exception {
        BaseModelRecipe recipe = BaseModelRecipe.standard().withSpec(SMALL).withConversations(600, 600)
                .withRows(512, 8); // a 512-token vocabulary spells a long 'rule' conversation in more than 256 tokens
        List<String> lines = new ArrayList<>();
        Path dest = tmp.resolve("base");
        Files.createDirectories(dest);
        Files.writeString(dest.resolve("old.txt"), "replaced");
        BaseModelBuilder.Result r = new BaseModelBuilder(recipe, lines::add).build(dest);
        assertTrue(r.finalLoss() < r.firstLoss() - 0.3, r.toString()); // 17 steps: 6.25 -> 5.62 when written
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "generation_config.json", "README.md", BaseModelBuilder.LOG_FILE)) {
            assertTrue(Files.isRegularFile(dest.resolve(f)), f);
        }
        assertTrue(Files.notExists(dest.resolve("old.txt")), "the old folder is replaced as a whole");
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(dest), left.toList(), "no build folder is left beside it");
        }
        String card = Files.readString(dest.resolve("README.md"));
        assertTrue(card.contains("./jtune base-model build") && card.contains("jtune-base-test"), card);
        assertTrue(Files.readString(dest.resolve(BaseModelBuilder.LOG_FILE)).contains("built in"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("step ")), lines.toString());
        try (Tokenizer tok = Tokenizer.load(dest); CausalLm lm = ModelLoader.load(dest)) {
            assertEquals(512, tok.vocabSize());
            assertTrue(tok.chatTemplate().isPresent());
            assertEquals(r.parameters(), lm.config().parameterCount());
        }
    }
}

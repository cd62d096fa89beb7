package io.jtune.finetune.tokenize.bpe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.json.PythonJson;
import io.jtune.finetune.tokenize.TinyBpe;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteLevelBpeTest {
    @TempDir
    Path tmp;

    @Test
    void buildingFromTheTrainingTextReproducesTheStoredFilesByteForByte() throws IOException {
        ByteLevelBpe bpe = TinyBpe.build();
        Path dir = tmp.resolve("tiny");
        bpe.write(dir);
        for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
            assertEquals(TinyBpe.resource("tokenize/tiny-bpe/" + file), Files.readString(dir.resolve(file)), file);
        }
    }

    @Test
    void theVocabularyIsBytesThenMergesThenSpecialTokens() {
        ByteLevelBpe bpe = TinyBpe.build();
        assertEquals(TinyBpe.VOCAB_SIZE, bpe.vocabSize());
        assertEquals(List.of(TinyBpe.BOS, TinyBpe.EOT, TinyBpe.PAD, "<|end_of_text|>", "<|start_header_id|>",
                "<|end_header_id|>"), bpe.specialTokens());
        assertEquals(TinyBpe.VOCAB_SIZE - 6, bpe.specialTokenId(TinyBpe.BOS));
        assertEquals(TinyBpe.VOCAB_SIZE - 6 - 256, bpe.merges().size());
        assertFalse(bpe.merges().isEmpty());
        assertEquals("Ġ t", bpe.merges().get(0));
    }

    @SuppressWarnings("unchecked")
    @Test
    void theFirst256IdsAreTheBytesInGpt2Order() {
        Map<String, Object> json = (Map<String, Object>) PythonJson.parse(TinyBpe.build().tokenizerJson());
        Map<String, Object> vocab = (Map<String, Object>) ((Map<String, Object>) json.get("model")).get("vocab");
        assertEquals(0L, vocab.get("!"));
        assertEquals(93L, vocab.get("~"));
        assertEquals(94L, vocab.get("¡"));
        assertEquals(187L, vocab.get("ÿ"));
        assertEquals(188L, vocab.get("Ā"));
        assertEquals(220L, vocab.get("Ġ"));
        assertEquals(254L, vocab.get("ł"));
        assertEquals(255L, vocab.get("Ń"));
    }

    @Test
    void trainingIsDeterministicAndTiesGoToTheSmallerIds() {
        ByteLevelBpe a = ByteLevelBpe.builder().trainingText("ab ab cd cd").vocabSize(260).build();
        ByteLevelBpe b = ByteLevelBpe.builder().trainingText("ab ab cd cd").vocabSize(260).build();
        assertEquals(a.tokenizerJson(), b.tokenizerJson());
        assertEquals(List.of("a b"), a.merges());
    }

    @Test
    void djlReadsTheFolderAndRoundTripsAnyText() throws IOException {
        Path dir = tmp.resolve("tiny");
        TinyBpe.build().write(dir);
        Random random = new Random(42);
        int[] pool = {'a', 'Z', ' ', '\n', '\t', 'é', 'ß', 'ñ', '—', '中', '語', 'ж', 0x1F30D, 0x1F680, 0x1F60A, 0x1F1EB,
            0x200D, 0x0301, 0x1D518, '<', '|', '>', '0', '9', '\u0000', '\u007f', '\ufeff'};
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            for (String text : List.of("Héllo wörld 🌍!", "Ça va très bien 😊 Привет", "👨‍👩‍👧 🇫🇷", "  \t\n ")) {
                assertEquals(text, tokenizer.decode(tokenizer.encode(text, false), false));
            }
            for (int n = 0; n < 200; n++) {
                StringBuilder sb = new StringBuilder();
                for (int i = random.nextInt(40); i > 0; i--) {
                    sb.appendCodePoint(pool[random.nextInt(pool.length)]);
                }
                String text = sb.toString();
                assertEquals(text, tokenizer.decode(tokenizer.encode(text, false), false), "for " + text);
            }
        }
    }

    @Test
    void theConfigCarriesTheSpecialTokensTheChatTemplateAndTheTokenizerClass() {
        ByteLevelBpe bpe = ByteLevelBpe.builder().trainingText("hello hello").vocabSize(262)
                .eosToken("</s>").padToken(null).chatTemplate("{{ messages }}").modelMaxLength(128).build();
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) PythonJson.parse(bpe.tokenizerConfigJson());
        assertEquals("<|begin_of_text|>", config.get("bos_token"));
        assertEquals("</s>", config.get("eos_token"));
        assertFalse(config.containsKey("pad_token"));
        assertEquals("{{ messages }}", config.get("chat_template"));
        assertEquals(128L, config.get("model_max_length"));
        assertEquals("PreTrainedTokenizerFast", config.get("tokenizer_class"));
        assertEquals(List.of("<|begin_of_text|>", "</s>"), bpe.specialTokens());
    }

    @Test
    void aVocabularyWithoutRoomForAMergeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ByteLevelBpe.builder().trainingText("hello").vocabSize(259).build());
        assertTrue(e.getMessage().contains("at least 256 bytes + 1 merge + 3 special tokens = 260"), e.getMessage());
    }

    @Test
    void aTextTooShortForTheVocabularyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ByteLevelBpe.builder().trainingText("ab").vocabSize(300).build());
        assertTrue(e.getMessage().contains("gives only 1 merged tokens; 41 were asked for"), e.getMessage());
    }

    @Test
    void writtenFilesAreUtf8() throws IOException {
        Path dir = tmp.resolve("tiny");
        TinyBpe.build().write(dir);
        byte[] bytes = Files.readAllBytes(dir.resolve("tokenizer.json"));
        assertArrayEquals(bytes, new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("\"Ġ t\""));
    }
}

package io.jtune.finetune.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.json.PythonJson;
import io.jtune.finetune.tokenize.template.ChatTemplateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
    @TempDir
    Path dir;

    private Map<String, Object> config;

    @SuppressWarnings("unchecked")
    @BeforeEach
    void copyTheTinyTokenizer() throws IOException {
        Files.copy(TinyBpe.storedFolder().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        config = (Map<String, Object>) PythonJson.parse(TinyBpe.resource("tokenize/tiny-bpe/tokenizer_config.json"));
        writeConfig();
    }

    private void writeConfig() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), PythonJson.dumps(config, 2));
    }

    private void write(String file, String json) throws IOException {
        Files.writeString(dir.resolve(file), json);
    }

    @Test
    void readsTheSpecialTokensAndTheirIds() throws IOException {
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertEquals(Optional.of("<|begin_of_text|>"), t.bosToken());
            assertEquals(OptionalInt.of(378), t.bosId());
            assertEquals(Optional.of("<|eot_id|>"), t.eosToken());
            assertEquals(OptionalInt.of(379), t.eosId());
            assertEquals(OptionalInt.of(380), t.padId());
            assertEquals(Optional.empty(), t.unkToken());
            assertEquals(OptionalInt.empty(), t.unkId());
            assertArrayEquals(new int[] {379}, t.eosIds());
            assertEquals(384, t.vocabSize());
            assertEquals(OptionalInt.of(381), t.tokenId("<|end_of_text|>"));
            assertEquals("Ġ", t.tokenText(220));
            assertEquals(OptionalInt.empty(), t.tokenId("no such token"));
            assertTrue(t.isSpecialToken(378));
            assertFalse(t.isSpecialToken(220));
            assertEquals(List.of(378, 379, 380, 381, 382, 383), t.specialIds());
            assertEquals(dir, t.directory());
        }
    }

    @Test
    void aSpecialTokenMayBeAnAddedTokenObject() throws IOException {
        Map<String, Object> added = new LinkedHashMap<>();
        added.put("__type", "AddedToken");
        added.put("content", "<|end_of_text|>");
        added.put("special", true);
        config.put("eos_token", added);
        writeConfig();
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertEquals(Optional.of("<|end_of_text|>"), t.eosToken());
            assertEquals(OptionalInt.of(381), t.eosId());
        }
    }

    @Test
    void specialTokensMapFillsTokensTheConfigLacks() throws IOException {
        config.remove("pad_token");
        writeConfig();
        write("special_tokens_map.json", "{\"pad_token\": {\"content\": \"<|end_of_text|>\"}, \"eos_token\": \"<|pad|>\"}");
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertEquals(Optional.of("<|end_of_text|>"), t.padToken());
            assertEquals(Optional.of("<|eot_id|>"), t.eosToken());
        }
    }

    @Test
    void eosIdsComeFromTheGenerationConfigTheTokenizerAndTheModelConfig() throws IOException {
        write("generation_config.json", "{\"bos_token_id\": 378, \"eos_token_id\": [381, 379]}");
        write("config.json", "{\"eos_token_id\": 383, \"pad_token_id\": 380}");
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertArrayEquals(new int[] {381, 379, 383}, t.eosIds());
        }
        write("generation_config.json", "{\"eos_token_id\": 382}");
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertArrayEquals(new int[] {382, 379, 383}, t.eosIds());
        }
    }

    @Test
    void idsFromTheConfigsStandInForTokensTheTokenizerConfigLacks() throws IOException {
        config.remove("bos_token");
        config.remove("pad_token");
        writeConfig();
        write("generation_config.json", "{\"bos_token_id\": 381}");
        write("config.json", "{\"bos_token_id\": 378, \"pad_token_id\": 383}");
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertEquals(OptionalInt.of(381), t.bosId());
            assertEquals(Optional.of("<|end_of_text|>"), t.bosToken());
            assertEquals(OptionalInt.of(383), t.padId());
        }
    }

    @Test
    void worksWithTokenizerJsonAlone() throws IOException {
        Files.delete(dir.resolve("tokenizer_config.json"));
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertEquals(Optional.empty(), t.bosToken());
            assertEquals(Optional.empty(), t.chatTemplate());
            assertArrayEquals(new int[0], t.eosIds());
            assertEquals("hi", t.decode(t.encode("hi", true), false));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> t.applyChatTemplate(List.of(Map.of("role", "user", "content", "x")), true));
            assertTrue(e.getMessage().contains("tokenizer_config.json has no chat_template"), e.getMessage());
        }
    }

    @Test
    void chatTemplateJinjaWinsOverTheConfigsTemplate() throws IOException {
        write("chat_template.jinja", "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}{{ eos_token }}\n");
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertEquals("[user] hi\n<|eot_id|>", t.applyChatTemplate(List.of(Map.of("role", "user", "content", "hi")), false));
        }
    }

    @Test
    void aBrokenChatTemplateFailsOnlyWhenApplied() throws IOException {
        config.put("chat_template", "{% for m in messages %}no end");
        writeConfig();
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertEquals("hi", t.decode(t.encode("hi", false), false));
            ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> t.applyChatTemplate(List.of(), false));
            assertTrue(e.getMessage().contains("'for' is never closed"), e.getMessage());
        }
    }

    @Test
    void aListOfNamedTemplatesGivesTheDefaultOne() throws IOException {
        config.put("chat_template", List.of(Map.of("name", "tool_use", "template", "tools"),
                Map.of("name", "default", "template", "default {{ bos_token }}")));
        writeConfig();
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertEquals(Optional.of("default {{ bos_token }}"), t.chatTemplate());
            assertEquals("default <|begin_of_text|>", t.applyChatTemplate(List.of(), false));
        }
    }

    @Test
    void extraVariablesReachTheChatTemplateAndWinOverSpecialTokens() throws IOException {
        config.put("chat_template", "{{ bos_token }}|{{ greeting }}|{{ tools | length }}");
        writeConfig();
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertEquals("<s>|hello|1", t.applyChatTemplate(List.of(), false,
                    Map.of("bos_token", "<s>", "greeting", "hello", "tools", List.of(Map.of("name", "f")))));
            assertEquals(Map.of("bos_token", "<|begin_of_text|>", "eos_token", "<|eot_id|>", "pad_token", "<|pad|>"),
                    t.specialTokenVariables());
        }
    }

    @Test
    void offsetsAreJavaStringIndexesEvenAfterCharactersOutsideTheBmp() throws IOException {
        String text = "🌍 a 𝔘x é!";
        try (Tokenizer t = Tokenizer.load(dir)) {
            Encoding e = t.encodeWithOffsets(text, false);
            StringBuilder covered = new StringBuilder();
            int lastEnd = 0;
            for (int i = 0; i < e.size(); i++) {
                assertTrue(e.start(i) <= e.end(i) && e.end(i) <= text.length());
                if (e.start(i) >= lastEnd) {
                    covered.append(text, e.start(i), e.end(i));
                    lastEnd = e.end(i);
                }
            }
            assertEquals(text, covered.toString());
            int exclamation = e.size() - 1;
            assertEquals(text.length() - 1, e.start(exclamation));
            assertEquals("!", text.substring(e.start(exclamation), e.end(exclamation)));
            assertArrayEquals(t.encode(text, false), e.ids());
        }
    }

    @Test
    void longTextsAreNotTruncated() throws IOException {
        String text = "The quick brown fox jumps over the lazy dog. ".repeat(200);
        try (Tokenizer t = Tokenizer.load(dir)) {
            int[] ids = t.encode(text, true);
            assertTrue(ids.length > 2000, "only " + ids.length + " tokens");
            assertEquals(text, t.decode(ids, false));
        }
    }

    @Test
    void decodingAnIdOutsideTheVocabularyIsRefused() throws IOException {
        try (Tokenizer t = Tokenizer.load(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {384}, false));
            assertTrue(e.getMessage().contains("384"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> t.tokenText(-1));
        }
    }

    @Test
    void cleanUpOfSpacesFollowsTheConfigAndSparesBpeAsTransformersDoes() throws IOException {
        config.put("clean_up_tokenization_spaces", true);
        writeConfig();
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertEquals("a , b .", t.decode(t.encode("a , b .", false), false));
        }
        config.put("clean_up_tokenization_spaces_for_bpe_even_though_it_will_corrupt_output", true);
        writeConfig();
        try (Tokenizer t = Tokenizer.load(dir)) {
            assertEquals("a, b.", t.decode(t.encode("a , b .", false), false));
        }
    }

    @Test
    void aMissingTokenizerJsonIsAnErrorNamingTheFile() throws IOException {
        Files.delete(dir.resolve("tokenizer.json"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer.json").toString()), e.getMessage());
    }

    @Test
    void aTokenizerJsonThatIsNotJsonIsAnErrorNamingTheFileAndPlace() throws IOException {
        write("tokenizer.json", "{\n  \"model\": {\n    \"vocab\": [\n}");
        IOException e = assertThrows(IOException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("tokenizer.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 4"), e.getMessage());
    }

    @Test
    void aTokenizerJsonWithoutAVocabularyIsAnErrorNamingTheFileAndField() throws IOException {
        write("tokenizer.json", "{\"model\": {\"type\": \"BPE\"}}");
        IOException e = assertThrows(IOException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("tokenizer.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("model.vocab"), e.getMessage());
    }

    @Test
    void aTokenizerJsonTheLibraryRejectsIsAnErrorNamingTheFile() throws IOException {
        write("tokenizer.json", "{\"model\": {\"type\": \"NoSuchModel\", \"vocab\": {\"a\": 0}}}");
        IOException e = assertThrows(IOException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("tokenizer.json").toString()), e.getMessage());
    }

    @Test
    void aConfigFieldOfTheWrongKindIsAnErrorNamingTheFileAndField() throws IOException {
        write("generation_config.json", "{\"eos_token_id\": [379, \"x\"]}");
        IOException e = assertThrows(IOException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("generation_config.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("eos_token_id[1]"), e.getMessage());

        Files.delete(dir.resolve("generation_config.json"));
        config.put("bos_token", 7);
        writeConfig();
        e = assertThrows(IOException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().contains("tokenizer_config.json: bos_token"), e.getMessage());
    }

    @Test
    void aBrokenConfigIsAnErrorNamingTheFile() throws IOException {
        write("config.json", "{\"eos_token_id\": ");
        IOException e = assertThrows(IOException.class, () -> Tokenizer.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json").toString()), e.getMessage());
    }

    private Path folderWith(String name, String tokenizerJson) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("tokenizer.json"), tokenizerJson);
        return d;
    }

    @Test
    void aWordPieceModelWithoutItsUnknownTokenFailsOnAnUnknownWordNamingTheFileAndField() throws IOException {
        Path d = folderWith("wordpiece", """
                {"version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": {"type": "Whitespace"},
                 "post_processor": null, "decoder": null,
                 "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                           "max_input_chars_per_word": 100, "vocab": {"hello": 0, "he": 1}}}""");
        try (Tokenizer t = Tokenizer.load(d)) {
            assertArrayEquals(new int[] {0}, t.encode("hello", false), "known words still encode");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.encode("hello zzz", false));
            assertEquals(d.resolve("tokenizer.json") + ": model.unk_token: \"[UNK]\" is not in model.vocab, so a word"
                    + " the vocabulary lacks cannot be encoded (the tokenizers library could not encode the text:"
                    + " WordPiece error: Missing [UNK] token from the vocabulary)", e.getMessage());
        }
    }

    @Test
    void aUnigramModelWithoutUnkIdFailsOnAnUnknownPieceNamingTheFileAndField() throws IOException {
        Path d = folderWith("unigram", """
                {"version": "1.0", "added_tokens": [], "normalizer": null, "pre_tokenizer": null,
                 "post_processor": null, "decoder": null,
                 "model": {"type": "Unigram", "unk_id": null, "vocab": [["hello", -1.0], ["h", -2.0], ["e", -2.0]]}}""");
        try (Tokenizer t = Tokenizer.load(d)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.encode("hez", false));
            assertEquals(d.resolve("tokenizer.json") + ": model.unk_id: is null, so a piece the vocabulary lacks cannot"
                    + " be encoded (the tokenizers library could not encode the text: Encountered an unknown token but"
                    + " `unk_id` is missing)", e.getMessage());
        }
    }
}

package io.jtune.finetune.tokenize.bpe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.model.TinyModels;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokenizers the Java encoder does not reproduce are encoded by the library, and so are the texts
 * it cannot take; either way the results are the library's.
 */
class JavaBpeEncoderFallbackTest {
    @TempDir
    Path dir;

    private Path tiny;

    @BeforeEach
    void writeTinyTokenizer() throws IOException {
        tiny = dir.resolve("tiny");
        TinyModels.write(tiny, TinyModels.TEST_LLAMA, 1);
    }

    /** The engine of the tiny tokenizer changed by {@code change}. */
    private String engineOf(Consumer<Map<String, Object>> change) throws IOException {
        Map<String, Object> json = TokenizerShapes.read(tiny.resolve("tokenizer.json"));
        change.accept(json);
        Path out = TokenizerShapes.write(json, dir.resolve("changed"));
        try (Tokenizer t = Tokenizer.load(out)) {
            if (!t.encodingEngine().contains("dropout")) { // dropout makes every encoding different
                assertEquals(t.encodeWithLibrary("Hello, world! 123", true), t.encodeWithOffsets("Hello, world! 123",
                        true));
            }
            return t.encodingEngine();
        }
    }

    private static void assertDjl(String engine, String reason) {
        assertTrue(engine.startsWith("djl (") && engine.contains(reason), engine);
    }

    @Test
    void anUnsupportedNormalizerGoesToTheLibrary() throws IOException {
        assertDjl(engineOf(j -> j.put("normalizer", Map.of("type", "Lowercase"))), "normalizer Lowercase");
        assertDjl(engineOf(j -> j.put("normalizer", TokenizerShapes.sequence("normalizers", Map.of("type", "NFC"),
                Map.of("type", "NFKC")))), "normalizer NFKC");
    }

    @Test
    void byteFallbackDropoutAndAffixesGoToTheLibrary() throws IOException {
        assertDjl(engineOf(j -> TokenizerShapes.model(j).put("byte_fallback", true)), "byte_fallback");
        assertDjl(engineOf(j -> TokenizerShapes.model(j).put("dropout", 0.1)), "dropout");
        // (A continuing_subword_prefix that the merges lack makes the library panic, so a suffix.)
        assertDjl(engineOf(j -> TokenizerShapes.model(j).put("end_of_word_suffix", "</w>")), "end_of_word_suffix");
    }

    @Test
    void otherPreTokenizersGoToTheLibrary() throws IOException {
        assertDjl(engineOf(j -> j.put("pre_tokenizer", TokenizerShapes.sequence("pretokenizers",
                TokenizerShapes.split("\\s+|\\p{L}+"), TokenizerShapes.byteLevel(false, false, false)))),
                "regex is not one of");
        assertDjl(engineOf(j -> j.put("pre_tokenizer", Map.of("type", "Metaspace", "replacement", "▁",
                "prepend_scheme", "always", "split", true))), "pre-tokenizer Metaspace");
        assertDjl(engineOf(j -> j.put("pre_tokenizer", TokenizerShapes.sequence("pretokenizers",
                TokenizerShapes.split(PreTokenizerRegex.LLAMA3.pattern()), Map.of("type", "Digits",
                        "individual_digits", true), TokenizerShapes.byteLevel(false, false, false)))), "pre-tokenizer");
    }

    @Test
    void offsetTrimmingAndOtherPostProcessorsGoToTheLibrary() throws IOException {
        assertDjl(engineOf(j -> j.put("post_processor", TokenizerShapes.byteLevel(true, true, true))), "trims offsets");
        assertDjl(engineOf(j -> j.put("post_processor", Map.of("type", "RobertaProcessing",
                "sep", List.of("<|end_of_text|>", TokenizerShapes.addedId(j, "<|end_of_text|>")),
                "cls", List.of("<|begin_of_text|>", TokenizerShapes.addedId(j, "<|begin_of_text|>")),
                "trim_offsets", true, "add_prefix_space", false))), "post-processor RobertaProcessing");
    }

    @Test
    void addedTokensThatStripOrMatchWholeWordsGoToTheLibrary() throws IOException {
        assertDjl(engineOf(j -> TokenizerShapes.addedTokens(j).get(3).put("lstrip", true)), "lstrip");
        assertDjl(engineOf(j -> TokenizerShapes.addedTokens(j).get(4).put("rstrip", true)), "rstrip");
        assertDjl(engineOf(j -> TokenizerShapes.addedTokens(j).get(0).put("single_word", true)), "single_word");
    }

    @Test
    void addedTokensTheLibraryNumbersOtherwiseGoToTheLibrary() throws IOException {
        // The library numbers added tokens after the vocabulary, whatever ids the file gives.
        assertDjl(engineOf(j -> TokenizerShapes.addedTokens(j).forEach(t -> t.put("id", (Long) t.get("id") + 10))),
                "the library encodes added token");
        // A token the vocabulary has takes the vocabulary's id.
        assertDjl(engineOf(j -> TokenizerShapes.addToken(j, "Ġ", false, false, true)), "added token Ġ");
    }

    @Test
    void aWordPieceTokenizerGoesToTheLibrary() throws IOException {
        Path bert = dir.resolve("bert");
        Files.createDirectories(bert);
        Files.writeString(bert.resolve("tokenizer.json"), """
                {"version": "1.0", "truncation": null, "padding": null,
                 "added_tokens": [{"id": 0, "content": "[UNK]", "single_word": false, "lstrip": false,
                   "rstrip": false, "normalized": false, "special": true}],
                 "normalizer": null, "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false,
                   "trim_offsets": false, "use_regex": true},
                 "post_processor": null, "decoder": null,
                 "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                   "max_input_chars_per_word": 100, "vocab": {"[UNK]": 0, "hello": 1, "##s": 2}}}
                """);
        try (Tokenizer t = Tokenizer.load(bert)) {
            assertDjl(t.encodingEngine(), "the model is WordPiece, not BPE");
            assertEquals(1, t.encode("hello", false)[0]);
        }
    }

    @Test
    void theEnginePropertyCanChooseTheLibrary() throws IOException {
        System.setProperty(Tokenizer.ENGINE_PROPERTY, "djl");
        try (Tokenizer t = Tokenizer.load(tiny)) {
            assertDjl(t.encodingEngine(), "-Djtune.tokenizer.engine=djl");
        } finally {
            System.clearProperty(Tokenizer.ENGINE_PROPERTY);
        }
        System.setProperty(Tokenizer.ENGINE_PROPERTY, "fast");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.load(tiny));
            assertTrue(e.getMessage().contains("must be auto or djl, not fast"), e.getMessage());
        } finally {
            System.clearProperty(Tokenizer.ENGINE_PROPERTY);
        }
    }

    @Test
    void aTextWithAnUnpairedSurrogateGoesToTheLibrary() throws IOException {
        JavaBpeEncoder encoder = JavaBpeEncoderMatchesLibraryTest.encoder(tiny);
        try (Tokenizer t = Tokenizer.load(tiny)) {
            for (String text : new String[] {"a\uD800b", "\uDC00", "x\uD83D", "\uDE00\uD83D"}) {
                assertNull(encoder.encode(text, false), BpeTestTexts.literal(text));
                assertEquals(t.encodeWithLibrary(text, false), t.encodeWithOffsets(text, false));
            }
            assertNotNull(encoder.encode("\uD83D\uDE00", false));
        }
    }

    @Test
    void aTextThatNfcChangesIsNormalizedInJavaWithTheLibrarysOffsets() throws IOException {
        Path qwen = TokenizerShapes.write(TokenizerShapes.qwen2(TokenizerShapes.read(tiny.resolve("tokenizer.json"))),
                dir.resolve("qwen2"));
        JavaBpeEncoder encoder = JavaBpeEncoderMatchesLibraryTest.encoder(qwen);
        try (Tokenizer t = Tokenizer.load(qwen)) {
            assertTrue(t.encodingEngine().startsWith("java ("), t.encodingEngine());
            for (String text : new String[] {"cafe\u0301", "\u1100\u1161", "A\u030A<|im_end|>", "\u212B",
                    "cafe\u0301 au lait", "e\u0301e\u0301 x\u0301", "\u1100\u1161\u11A8 \u1112\u1161\u11AB",
                    "the \u0301cat", "a \u0301 b", "\u0344", "Vie\u0323\u0302t Nam", "\uD835\uDC00\u0301x",
                    "cafe\u0301<|im_end|>e\u0301", "\u0301", "  e\u0301\n\u1100\u1161!"}) {
                assertNotNull(encoder.encode(text, false), BpeTestTexts.literal(text));
                assertEquals(t.encodeWithLibrary(text, false), t.encodeWithOffsets(text, false), BpeTestTexts.literal(text));
                assertEquals(t.encodeWithLibrary(text, true), t.encodeWithOffsets(text, true), BpeTestTexts.literal(text));
            }
            // Composition after reordering: the library's alignment is not reproduced, so it encodes.
            for (String text : new String[] {"a\u0301\u0323", "e\u0323\u0301x"}) {
                assertNull(encoder.encode(text, false), BpeTestTexts.literal(text));
                assertEquals(t.encodeWithLibrary(text, false), t.encodeWithOffsets(text, false));
            }
            // Already composed: Java.
            for (String text : new String[] {"café", "\uAC00", "Å<|im_end|>"}) {
                assertEquals(t.encodeWithLibrary(text, false), JavaBpeEncoderMatchesLibraryTest.encode(encoder, text, false), BpeTestTexts.literal(text));
            }
        }
    }
}

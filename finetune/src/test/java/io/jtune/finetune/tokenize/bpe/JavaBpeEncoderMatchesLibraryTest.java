package io.jtune.finetune.tokenize.bpe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jtune.finetune.model.TinyModels;
import io.jtune.finetune.tokenize.Encoding;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proof that {@link JavaBpeEncoder} is exact: for the tiny models' tokenizers and for
 * tokenizers in the published GPT-2, Llama 3 and Qwen2 shapes, thousands of seeded texts (and
 * code points of every script in several contexts) get the same ids and offsets from the Java
 * encoder as from the Rust library through DJL, with and without special tokens.
 */
class JavaBpeEncoderMatchesLibraryTest {
    private static final int TEXTS = 5000;

    @TempDir
    static Path root;

    /** Tokenizer folders by name. */
    private static final Map<String, Path> FOLDERS = new LinkedHashMap<>();

    @BeforeAll
    static void writeTokenizers() throws IOException {
        for (TinyModels.Spec spec : List.of(TinyModels.TEST_LLAMA, TinyModels.TEST_QWEN2, TinyModels.DEMO_LLAMA)) {
            Path dir = root.resolve(spec.name());
            TinyModels.write(dir, spec, 1);
            FOLDERS.put(spec.name(), dir);
        }
        Path demo = FOLDERS.get(TinyModels.DEMO_LLAMA.name()).resolve("tokenizer.json");
        FOLDERS.put("llama3-shape", TokenizerShapes.write(TokenizerShapes.llama3(TokenizerShapes.read(demo)),
                root.resolve("llama3")));
        FOLDERS.put("qwen2-shape", TokenizerShapes.write(TokenizerShapes.qwen2(TokenizerShapes.read(demo)),
                root.resolve("qwen2")));
        FOLDERS.put("gpt2-shape", TokenizerShapes.write(TokenizerShapes.gpt2(TokenizerShapes.read(demo), false),
                root.resolve("gpt2")));
        FOLDERS.put("gpt2-shape-prefix-space", TokenizerShapes.write(
                TokenizerShapes.gpt2(TokenizerShapes.read(demo), true), root.resolve("gpt2-prefix")));
        FOLDERS.put("template-bos-eos", TokenizerShapes.write(bosEosTemplate(TokenizerShapes.read(demo)),
                root.resolve("template")));
        FOLDERS.put("mixed-added-tokens", TokenizerShapes.write(mixedAddedTokens(TokenizerShapes.read(demo)),
                root.resolve("added")));
        FOLDERS.put("tricky-merges", TokenizerShapes.write(trickyMerges(TokenizerShapes.read(demo), false),
                root.resolve("merges")));
        FOLDERS.put("tricky-merges-ignore-merges", TokenizerShapes.write(
                trickyMerges(TokenizerShapes.read(demo), true), root.resolve("merges-ignore")));
        // A vocabulary learned from the test texts themselves: merges across multi-byte characters.
        String training = String.join(" ", BpeTestTexts.generate(99, 3000, List.of()));
        Path wide = root.resolve("wide");
        ByteLevelBpe.builder().trainingText(training).vocabSize(1500).extraSpecialTokens(TinyModels.IM_START,
                TinyModels.IM_END).build().write(wide);
        FOLDERS.put("wide-vocab-llama3-shape", TokenizerShapes.write(
                TokenizerShapes.llama3(TokenizerShapes.read(wide.resolve("tokenizer.json"))), root.resolve("wide-l3")));
        FOLDERS.put("wide-vocab-qwen2-shape", TokenizerShapes.write(
                TokenizerShapes.qwen2(TokenizerShapes.read(wide.resolve("tokenizer.json"))), root.resolve("wide-q2")));
        FOLDERS.put("wide-vocab-gpt2-shape", wide);
    }

    static Stream<String> tokenizers() {
        return Stream.of(TinyModels.TEST_LLAMA.name(), TinyModels.TEST_QWEN2.name(), TinyModels.DEMO_LLAMA.name(),
                "llama3-shape", "qwen2-shape", "gpt2-shape", "gpt2-shape-prefix-space", "template-bos-eos",
                "mixed-added-tokens", "tricky-merges", "tricky-merges-ignore-merges", "wide-vocab-llama3-shape",
                "wide-vocab-qwen2-shape", "wide-vocab-gpt2-shape");
    }

    @ParameterizedTest
    @MethodSource("tokenizers")
    void generatedTextsGetTheLibrarysIdsAndOffsets(String name) throws IOException {
        Path dir = FOLDERS.get(name);
        JavaBpeEncoder encoder = encoder(dir);
        List<String> added = TokenizerShapes.addedContents(TokenizerShapes.read(dir.resolve("tokenizer.json")));
        try (Tokenizer library = Tokenizer.load(dir)) {
            assertTrue(library.encodingEngine().startsWith("java"), library.encodingEngine());
            int encoded = 0;
            List<String> texts = BpeTestTexts.generate(name.hashCode(), TEXTS, added);
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                boolean special = i % 2 == 1;
                Encoding java = encode(encoder, text, special);
                if (java == null) {
                    continue; // NFC would change the text: the library encodes it (see the fallback test)
                }
                encoded++;
                assertSame(name, text, special, library.encodeWithLibrary(text, special), java);
            }
            // Only texts that NFC changes may be left to the library.
            assertTrue(encoded > TEXTS * 0.9, name + ": the Java encoder took only " + encoded + " of " + TEXTS);
        }
    }

    /**
     * Code points of every script (all below U+0800, samples above) next to letters, digits,
     * spaces, apostrophes, punctuation and line breaks, in each pre-tokenizer shape: the offsets
     * of tokens that split or join multi-byte characters are the library's.
     */
    @ParameterizedTest
    @MethodSource("regexShapes")
    void codePointsInContext(String name) throws IOException {
        Path dir = FOLDERS.get(name);
        JavaBpeEncoder encoder = encoder(dir);
        try (Tokenizer library = Tokenizer.load(dir)) {
            // Every code point of two UTF-8 bytes, then samples of those of three and four
            // (PreTokenizerRegexMatchesLibraryTest splits every code point in context).
            List<Integer> codePoints = new ArrayList<>();
            for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp += cp < 0x800 ? 1 : cp < 0x10000 ? 7 : 211) {
                if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                    codePoints.add(cp);
                }
            }
            for (int from = 0; from < codePoints.size(); from += 256) {
                StringBuilder text = new StringBuilder();
                for (int cp : codePoints.subList(from, Math.min(from + 256, codePoints.size()))) {
                    String c = new String(Character.toChars(cp));
                    text.append('x').append(c).append("y ").append(c).append("7 '").append(c).append(' ').append(c)
                            .append(c).append("!\n").append(c).append("\r\n ").append(c).append(" ,");
                }
                String s = text.toString();
                Encoding java = encode(encoder, s, false);
                if (java == null) {
                    continue; // the Qwen2 shape's NFC would change this chunk
                }
                assertSame(name, s, false, library.encodeWithLibrary(s, false), java);
            }
        }
    }

    static Stream<String> regexShapes() {
        return Stream.of("gpt2-shape", "llama3-shape", "qwen2-shape");
    }

    @Test
    void manyThreadsAtOnceGetWhatOneThreadGets() throws Exception {
        Path dir = FOLDERS.get("llama3-shape");
        List<String> texts = BpeTestTexts.generate(5, 4000, List.of(TinyModels.IM_START, TinyModels.IM_END));
        JavaBpeEncoder alone = encoder(dir);
        List<Encoding> expected = texts.stream().map(t -> encode(alone, t, true)).toList();
        JavaBpeEncoder shared = encoder(dir);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Encoding>>> results = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                results.add(pool.submit(() -> texts.stream().map(t -> encode(shared, t, true)).toList()));
            }
            for (Future<List<Encoding>> result : results) {
                assertEquals(expected, result.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aFullWordCacheStartsOverAndStaysRight() throws IOException {
        Path dir = FOLDERS.get(TinyModels.DEMO_LLAMA.name());
        JavaBpeEncoder encoder = encoder(dir);
        Random random = new Random(3);
        try (Tokenizer library = Tokenizer.load(dir)) {
            // 600 texts of 100 random words: 60,000 distinct words, more than one cache holds.
            for (int t = 0; t < 600; t++) {
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < 100; w++) {
                    text.append(' ');
                    for (int n = 4 + random.nextInt(6); n > 0; n--) {
                        text.append((char) ('a' + random.nextInt(26)));
                    }
                }
                String s = text.toString();
                assertSame("random words", s, false, library.encodeWithLibrary(s, false), encode(encoder, s, false));
            }
        }
    }

    @Test
    void theTinyModelsUseTheJavaEncoder() throws IOException {
        for (TinyModels.Spec spec : List.of(TinyModels.TEST_LLAMA, TinyModels.TEST_QWEN2, TinyModels.DEMO_LLAMA)) {
            try (Tokenizer t = Tokenizer.load(FOLDERS.get(spec.name()))) {
                assertEquals("java (byte-level BPE, GPT2 pre-tokenizer regex, 5 added tokens)", t.encodingEngine());
            }
        }
    }

    @Test
    void specialTokensAddedByATemplateHaveEmptySpansAtTheStart() throws IOException {
        Path dir = FOLDERS.get("template-bos-eos");
        try (Tokenizer t = Tokenizer.load(dir)) {
            Encoding e = t.encodeWithOffsets("hello", true);
            int bos = t.tokenId(ByteLevelBpe.DEFAULT_BOS).getAsInt();
            int eos = t.tokenId(ByteLevelBpe.DEFAULT_EOS).getAsInt();
            int pad = t.tokenId(ByteLevelBpe.DEFAULT_PAD).getAsInt();
            assertEquals(bos, e.id(0));
            assertEquals(eos, e.id(e.size() - 2));
            assertEquals(pad, e.id(e.size() - 1));
            for (int i : new int[] {0, e.size() - 2, e.size() - 1}) {
                assertEquals(0, e.start(i));
                assertEquals(0, e.end(i));
            }
            assertEquals(e, t.encodeWithLibrary("hello", true));
        }
    }

    /** The encoder of a folder's {@code tokenizer.json}, which must be supported. */
    static JavaBpeEncoder encoder(Path dir) throws IOException {
        try {
            return JavaBpeEncoder.read(TokenizerShapes.read(dir.resolve("tokenizer.json")));
        } catch (UnsupportedTokenizerException e) {
            return fail(dir + ": the Java encoder refuses it: " + e.getMessage());
        }
    }

    /** Fails with the text and the first differing token when the encodings differ. */
    /** The Java encoder's result as an {@link Encoding}, {@code null} when it leaves the text to the library. */
    static Encoding encode(JavaBpeEncoder encoder, String text, boolean special) {
        JavaBpeEncoder.Tokens t = encoder.encode(text, special);
        return t == null ? null : new Encoding(t.ids(), t.starts(), t.ends());
    }

    static void assertSame(String name, String text, boolean special, Encoding expected, Encoding actual) {
        assertNotNull(actual);
        if (expected.equals(actual)) {
            return;
        }
        int i = 0;
        while (i < Math.min(expected.size(), actual.size()) && expected.id(i) == actual.id(i)
                && expected.start(i) == actual.start(i) && expected.end(i) == actual.end(i)) {
            i++;
        }
        fail(name + ": the Java encoder differs from the library for " + BpeTestTexts.literal(text)
                + " (special tokens: " + special + ") first at token " + i + ": library " + describe(expected, i)
                + ", Java " + describe(actual, i) + "\n  library: " + expected + "\n  Java:    " + actual);
    }

    private static String describe(Encoding e, int i) {
        return i < e.size() ? e.id(i) + "@" + e.start(i) + "-" + e.end(i) : "(no token)";
    }

    /** A template that adds bos (and im_start) before and eos plus pad (one special token of two ids) after. */
    private static Map<String, Object> bosEosTemplate(Map<String, Object> json) {
        Map<String, Object> template = TokenizerShapes.template(json,
                List.of(ByteLevelBpe.DEFAULT_BOS, TinyModels.IM_START), List.of());
        @SuppressWarnings("unchecked")
        List<Object> single = new ArrayList<>((List<Object>) template.get("single"));
        single.add(Map.of("SpecialToken", Map.of("id", "END", "type_id", 0L)));
        template.put("single", single);
        template.put("pair", single);
        @SuppressWarnings("unchecked")
        Map<String, Object> specials = (Map<String, Object>) template.get("special_tokens");
        specials.put("END", TokenizerShapes.special("END", List.of(TokenizerShapes.addedId(json,
                ByteLevelBpe.DEFAULT_EOS), TokenizerShapes.addedId(json, ByteLevelBpe.DEFAULT_PAD)),
                List.of(ByteLevelBpe.DEFAULT_EOS, ByteLevelBpe.DEFAULT_PAD)));
        json.put("post_processor", TokenizerShapes.sequence("processors", TokenizerShapes.byteLevel(true, false, true),
                template));
        return json;
    }

    /** Llama 3's shape with added tokens of both kinds that overlap each other and the text. */
    private static Map<String, Object> mixedAddedTokens(Map<String, Object> json) {
        TokenizerShapes.llama3(json);
        TokenizerShapes.addToken(json, "hellq", false, true);
        TokenizerShapes.addToken(json, "wqrld", false, false);
        TokenizerShapes.addToken(json, " the", false, true);
        TokenizerShapes.addToken(json, "q~", false, false);
        TokenizerShapes.addToken(json, "q~q", false, false);
        TokenizerShapes.addToken(json, "~q~", false, true);
        TokenizerShapes.addToken(json, "\n\n", false, true);
        TokenizerShapes.addToken(json, "xyz", true, false);
        TokenizerShapes.addToken(json, "日本", false, false);
        TokenizerShapes.addToken(json, "😀", false, true);
        TokenizerShapes.addToken(json, "<|im", false, true);
        TokenizerShapes.addToken(json, "start|>", false, false);
        return json;
    }

    /**
     * Extra merges at the lowest ranks: a pair listed twice, and a token reachable by two merge
     * orders; with {@code ignoreMerges}, also tokens that no merge makes, which only the whole-word
     * lookup finds.
     */
    private static Map<String, Object> trickyMerges(Map<String, Object> json, boolean ignoreMerges) {
        List<String> extra = new ArrayList<>(List.of("xy", "yz", "xyz", "zz", "zzzz"));
        if (ignoreMerges) {
            extra.addAll(List.of("Ġworld", "tokenizer", "ĠĠĠ", "ĊĊ", "123", "ĠThe", "Ã©"));
        }
        Map<String, Object> model = TokenizerShapes.model(json);
        @SuppressWarnings("unchecked")
        Map<String, Object> vocab = (Map<String, Object>) model.get("vocab");
        for (String token : extra) {
            if (!vocab.containsKey(token)) {
                vocab.put(token, (long) vocab.size());
            }
        }
        // Renumber the added tokens after the grown vocabulary, in order, as the library numbers them.
        long id = vocab.size();
        for (Map<String, Object> t : TokenizerShapes.addedTokens(json)) {
            t.put("id", id++);
        }
        @SuppressWarnings("unchecked")
        List<Object> merges = new ArrayList<>((List<Object>) model.get("merges"));
        merges.addAll(List.of("x y", "y z", "xy z", "x yz", "z z", "zz zz", "z z"));
        if (ignoreMerges) {
            // The newer encoding of merges: [left, right] pairs.
            merges.replaceAll(m -> List.of(((String) m).split(" ")));
        }
        model.put("merges", merges);
        model.put("ignore_merges", ignoreMerges);
        return json;
    }
}

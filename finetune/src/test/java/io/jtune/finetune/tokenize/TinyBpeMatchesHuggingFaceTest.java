package io.jtune.finetune.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jtune.finetune.json.PythonJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stored tiny BPE folder, read by {@link Tokenizer}, gives the ids, tokens, offsets and
 * decodings that Hugging Face computed for it ({@code tokenize/tiny-bpe-expected.json}, written by
 * {@code check_byte_level_bpe.py}).
 */
class TinyBpeMatchesHuggingFaceTest {
    @SuppressWarnings("unchecked")
    private static final Map<String, Object> EXPECTED =
            (Map<String, Object>) PythonJson.parse(TinyBpe.resource("tokenize/tiny-bpe-expected.json"));

    private static Tokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = Tokenizer.load(TinyBpe.storedFolder());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @SuppressWarnings("unchecked")
    static Stream<Arguments> encodings() {
        return ((List<Object>) EXPECTED.get("encodings")).stream()
                .map(o -> (Map<String, Object>) o)
                .map(e -> Arguments.of(((String) e.get("text")).replace("\n", "\\n"), e));
    }

    static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("encodings")
    void givesTheIdsTokensAndDecodingsHuggingFaceGives(String name, Map<String, Object> expected) {
        String text = (String) expected.get("text");
        int[] ids = tokenizer.encode(text, false);
        assertArrayEquals(ints(expected.get("ids")), ids);
        assertArrayEquals(ints(expected.get("ids_with_special_tokens")), tokenizer.encode(text, true));
        assertEquals(expected.get("tokens"), Arrays.stream(ids).mapToObj(tokenizer::tokenText).toList());
        assertEquals(expected.get("decoded"), tokenizer.decode(ids, false));
        assertEquals(expected.get("decoded_skipping_special_tokens"), tokenizer.decode(ids, true));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("encodings")
    void givesHuggingFacesOffsetsAsJavaStringIndexes(String name, Map<String, Object> expected) {
        String text = (String) expected.get("text");
        Encoding encoding = tokenizer.encodeWithOffsets(text, false);
        List<?> offsets = (List<?>) expected.get("offsets");
        assertEquals(offsets.size(), encoding.size());
        for (int i = 0; i < encoding.size(); i++) {
            int[] codePoints = ints(offsets.get(i));
            assertEquals(text.offsetByCodePoints(0, codePoints[0]), encoding.start(i), "start of token " + i);
            assertEquals(text.offsetByCodePoints(0, codePoints[1]), encoding.end(i), "end of token " + i);
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void hasTheSpecialTokensAndSizeHuggingFaceSees() {
        Map<String, Object> special = (Map<String, Object>) EXPECTED.get("special_tokens");
        assertEquals(List.of(tokenizer.bosToken().orElseThrow(), (long) tokenizer.bosId().getAsInt()), special.get("bos"));
        assertEquals(List.of(tokenizer.eosToken().orElseThrow(), (long) tokenizer.eosId().getAsInt()), special.get("eos"));
        assertEquals(List.of(tokenizer.padToken().orElseThrow(), (long) tokenizer.padId().getAsInt()), special.get("pad"));
        assertEquals(((Number) EXPECTED.get("vocab_size")).intValue(), tokenizer.vocabSize());
        assertFalse(tokenizer.addsBosToken());
        assertFalse(tokenizer.addsEosToken());
    }

    @SuppressWarnings("unchecked")
    @Test
    void rendersAndTokenizesTheChatAsHuggingFaceDoes() {
        Map<String, Object> chat = (Map<String, Object>) EXPECTED.get("chat");
        String text = tokenizer.applyChatTemplate((List<Map<String, Object>>) chat.get("messages"),
                (Boolean) chat.get("add_generation_prompt"));
        assertEquals(chat.get("text"), text);
        assertArrayEquals(ints(chat.get("ids")), tokenizer.encode(text, false));
    }

    @SuppressWarnings("unchecked")
    @Test
    void addBosTokenInTheConfigDoesNotChangeEncodingAsInTransformers5(@TempDir Path tmp) throws IOException {
        Path variant = tmp.resolve("tiny-bpe-add-bos-eos");
        Files.createDirectories(variant);
        Files.copy(TinyBpe.storedFolder().resolve("tokenizer.json"), variant.resolve("tokenizer.json"));
        Map<String, Object> config = (Map<String, Object>) PythonJson.parse(TinyBpe.resource("tokenize/tiny-bpe/tokenizer_config.json"));
        config.put("add_bos_token", true);
        config.put("add_eos_token", true);
        Files.writeString(variant.resolve("tokenizer_config.json"), PythonJson.dumps(config, 2));
        List<Object> expected =
                (List<Object>) EXPECTED.get("ids_with_special_tokens_when_the_config_sets_add_bos_and_eos_token");
        List<Object> encodings = (List<Object>) EXPECTED.get("encodings");
        try (Tokenizer withFlags = Tokenizer.load(variant)) {
            for (int i = 0; i < encodings.size(); i++) {
                String text = (String) ((Map<String, Object>) encodings.get(i)).get("text");
                assertArrayEquals(ints(expected.get(i)), withFlags.encode(text, true));
            }
        }
    }
}

package io.jtune.finetune.tokenize.bpe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.json.PythonJson;
import io.jtune.finetune.tokenize.Encoding;
import io.jtune.finetune.tokenize.TinyBpe;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Texts not in NFC, encoded by the Java encoder of a Qwen2-shaped tokenizer (NFC normalizer), get
 * the ids and offsets that Hugging Face's {@code tokenizers} computed for them
 * ({@code tokenize/nfc-expected.json}, written by {@code encode_nfc.py} from the stored
 * {@code tokenize/tiny-bpe-qwen2/tokenizer.json}).
 */
class NfcMatchesHuggingFaceTest {
    @TempDir
    Path dir;

    /** The Qwen2 shape of the stored tiny tokenizer. */
    static Map<String, Object> qwen2Json() throws IOException {
        return TokenizerShapes.qwen2(TokenizerShapes.read(TinyBpe.storedFolder().resolve("tokenizer.json")));
    }

    static Path storedFolder() {
        try {
            return Path.of(NfcMatchesHuggingFaceTest.class.getClassLoader()
                    .getResource("tokenize/tiny-bpe-qwen2/tokenizer.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theStoredQwen2FixtureIsTheShapeOfTheStoredTinyTokenizer() throws IOException {
        Path fresh = TokenizerShapes.write(qwen2Json(), dir.resolve("fresh"));
        assertEquals(Files.readString(fresh.resolve("tokenizer.json")),
                Files.readString(storedFolder().resolve("tokenizer.json")),
                "refresh tokenize/tiny-bpe-qwen2 with this class's main, then rerun encode_nfc.py");
    }

    @Test
    @SuppressWarnings("unchecked")
    void nonNfcTextsGetHuggingFacesIdsAndOffsetsFromTheJavaEncoder() throws IOException {
        Map<String, Object> expected = (Map<String, Object>) PythonJson.parse(TinyBpe.resource("tokenize/nfc-expected.json"));
        List<Map<String, Object>> cases = (List<Map<String, Object>>) expected.get("cases");
        assertTrue(cases.size() >= 10, "cases: " + cases.size());
        JavaBpeEncoder encoder = JavaBpeEncoderMatchesLibraryTest.encoder(storedFolder());
        try (Tokenizer t = Tokenizer.load(storedFolder())) {
            assertTrue(t.encodingEngine().startsWith("java (byte-level BPE, NFC"), t.encodingEngine());
            for (Map<String, Object> c : cases) {
                String text = (String) c.get("text");
                String name = BpeTestTexts.literal(text);
                JavaBpeEncoder.Tokens java = encoder.encode(text, false);
                assertTrue(java != null, name + " went to the library");
                Encoding e = t.encodeWithOffsets(text, false);
                int[] ids = ((List<Long>) c.get("ids")).stream().mapToInt(Long::intValue).toArray();
                assertArrayEquals(ids, e.ids(), name);
                int[] charOf = codePointToChar(text);
                List<List<Long>> offsets = (List<List<Long>>) c.get("offsets");
                for (int i = 0; i < ids.length; i++) {
                    int start = charOf[offsets.get(i).get(0).intValue()];
                    int end = charOf[offsets.get(i).get(1).intValue()];
                    assertEquals(start + "-" + end, e.start(i) + "-" + e.end(i), name + " token " + i);
                }
            }
        }
    }

    /** For each code point index of {@code text} (and the end), the Java char index: Python's offsets count code points. */
    private static int[] codePointToChar(String text) {
        int[] map = new int[text.codePointCount(0, text.length()) + 1];
        int cp = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            map[cp++] = i;
        }
        map[cp] = text.length();
        return map;
    }

    /** Writes the Qwen2-shaped tokenizer folder to {@code args[0]} (to refresh {@code tokenize/tiny-bpe-qwen2/}). */
    public static void main(String[] args) throws IOException {
        TokenizerShapes.write(qwen2Json(), Path.of(args[0]));
    }
}

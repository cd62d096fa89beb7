package io.jtune.finetune.tokenize.bpe;

import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.jtune.finetune.json.PythonJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link PreTokenizerRegex} splits texts exactly where the library's pre-tokenizer does. The
 * library's side is a tokenizer with the pre-tokenizer under test and a WordLevel model that knows
 * no word, so that each pre-token comes back as one unknown token with its span: every boundary
 * shows, even where BPE merges would hide it.
 */
class PreTokenizerRegexMatchesLibraryTest {
    @ParameterizedTest
    @EnumSource(PreTokenizerRegex.class)
    void generatedTextsAreSplitWhereTheLibrarySplitsThem(PreTokenizerRegex regex) throws IOException {
        try (HuggingFaceTokenizer library = splitter(regex)) {
            for (String text : BpeTestTexts.generate(regex.ordinal(), 20_000, List.of("<|im_start|>"))) {
                assertSameSplits(regex, library, text);
            }
        }
    }

    /** Every code point up to U+FFFF and every 31st above, next to each kind of character. */
    @ParameterizedTest
    @EnumSource(PreTokenizerRegex.class)
    void everyCodePointInContextIsSplitWhereTheLibrarySplitsIt(PreTokenizerRegex regex) throws IOException {
        try (HuggingFaceTokenizer library = splitter(regex)) {
            StringBuilder text = new StringBuilder();
            for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp += cp < 0x10000 ? 1 : 31) {
                if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                    continue;
                }
                String c = new String(Character.toChars(cp));
                text.append('x').append(c).append("y ").append(c).append("7 '").append(c).append("s ").append(c)
                        .append(c).append("!\n").append(c).append("\r\n ").append(c).append(" ,'").append(c)
                        .append("x\t").append(c).append("1");
                if (text.length() > 8000) {
                    assertSameSplits(regex, library, text.toString());
                    text.setLength(0);
                }
            }
            assertSameSplits(regex, library, text.toString());
        }
    }

    /** A tokenizer whose tokens are the pre-tokens of {@code regex}, in the shape tokenizers use it. */
    private static HuggingFaceTokenizer splitter(PreTokenizerRegex regex) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", "1.0");
        json.put("added_tokens", List.of());
        json.put("normalizer", null);
        json.put("pre_tokenizer", regex == PreTokenizerRegex.GPT2 ? TokenizerShapes.byteLevel(false, false, true)
                : TokenizerShapes.sequence("pretokenizers", TokenizerShapes.split(regex.pattern()),
                        TokenizerShapes.byteLevel(false, false, false)));
        json.put("post_processor", null);
        json.put("decoder", null);
        json.put("model", Map.of("type", "WordLevel", "vocab", Map.of("[UNK]", 0L), "unk_token", "[UNK]"));
        return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(PythonJson.dumps(json).getBytes(
                StandardCharsets.UTF_8)), Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false"));
    }

    private static void assertSameSplits(PreTokenizerRegex regex, HuggingFaceTokenizer library, String text) {
        List<String> java = new ArrayList<>();
        for (int pos = 0; pos < text.length(); ) {
            int end = regex.matchEnd(text, pos, text.length());
            java.add(pos + "-" + end);
            pos = end;
        }
        // The library counts code points; turn them into String indexes.
        int[] charIndex = new int[text.codePointCount(0, text.length()) + 1];
        for (int i = 0, cp = 0; i <= text.length(); i += i < text.length() ? Character.charCount(text.codePointAt(i)) : 1) {
            charIndex[cp++] = i;
        }
        List<String> expected = new ArrayList<>();
        for (CharSpan span : library.encode(text, false, false).getCharTokenSpans()) {
            expected.add(charIndex[span.getStart()] + "-" + charIndex[span.getEnd()]);
        }
        if (!expected.equals(java)) {
            int i = 0;
            while (i < Math.min(expected.size(), java.size()) && expected.get(i).equals(java.get(i))) {
                i++;
            }
            String at = i < expected.size() ? expected.get(i) : i < java.size() ? java.get(i) : "0-0";
            int from = Integer.parseInt(at.substring(0, at.indexOf('-')));
            fail(regex + ": pre-token " + i + " differs: library " + (i < expected.size() ? expected.get(i) : "none")
                    + ", Java " + (i < java.size() ? java.get(i) : "none") + ", at "
                    + BpeTestTexts.literal(text.substring(Math.max(0, from - 10), Math.min(text.length(), from + 20)))
                    + " in " + (text.length() > 300 ? "a text of " + text.length() + " chars" : BpeTestTexts.literal(text)));
        }
    }
}

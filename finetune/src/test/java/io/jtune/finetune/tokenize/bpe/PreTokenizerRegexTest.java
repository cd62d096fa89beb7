package io.jtune.finetune.tokenize.bpe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the hand-written matchers split texts, on examples worked out from the regex semantics.
 * (JavaBpeEncoderMatchesLibraryTest is the proof against the library; these say what it proves.)
 */
class PreTokenizerRegexTest {
    private static List<String> split(PreTokenizerRegex regex, String text) {
        List<String> out = new ArrayList<>();
        for (int pos = 0; pos < text.length(); ) {
            int end = regex.matchEnd(text, pos, text.length());
            out.add(text.substring(pos, end));
            pos = end;
        }
        return out;
    }

    @Test
    void gpt2KeepsASpaceWithTheWordAfterItAndLeavesOneSpaceBeforeAWord() {
        assertEquals(List.of("Hello", " world", "'s", " ", " 12345", "!!", "\n\n ", " x"),
                split(PreTokenizerRegex.GPT2, "Hello world's  12345!!\n\n  x"));
        assertEquals(List.of("I", "'", "M", " don", "'t", " ", "\t", "tab", "  "),
                split(PreTokenizerRegex.GPT2, "I'M don't \ttab  "));
        assertEquals(List.of("café", " 日本語", " 😀👍", "\u00A0", "x"), split(PreTokenizerRegex.GPT2, "café 日本語 😀👍\u00A0x"));
    }

    @Test
    void llama3TakesDigitsByThreesAndPunctuationWithTheLineBreaksAfterIt() {
        assertEquals(List.of("Hello", " world", "'s", " ", " ", "123", "45", "!!\n\n", " ", " x"),
                split(PreTokenizerRegex.LLAMA3, "Hello world's  12345!!\n\n  x"));
        assertEquals(List.of("I", "'M", " don", "'t", "'ſ", "\t", "\ttab", "\"quoted", "\""),
                split(PreTokenizerRegex.LLAMA3, "I'M don't'ſ\t\ttab\"quoted\""));
        assertEquals(List.of("a", " \n\n", " b", "\r\n"), split(PreTokenizerRegex.LLAMA3, "a \n\n b\r\n"));
    }

    @Test
    void qwen2TakesOneDigitAtATime() {
        assertEquals(List.of("x", "1", "2", "3", " ", "4"), split(PreTokenizerRegex.QWEN2, "x123 4"));
    }

    @Test
    void onlyTheKnownPatternsAreRecognised() {
        assertEquals(PreTokenizerRegex.LLAMA3, PreTokenizerRegex.forPattern(PreTokenizerRegex.LLAMA3.pattern()));
        assertNull(PreTokenizerRegex.forPattern(PreTokenizerRegex.LLAMA3.pattern() + "|x"));
    }
}

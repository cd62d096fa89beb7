package io.jtune.finetune.tokenize.bpe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link UnicodeClasses} against the library's regex engine, for every code point: a DJL upgrade
 * that changes the engine's Unicode tables fails here (rewrite the table with
 * {@link UnicodeClassesProbe#main}).
 */
class UnicodeClassesTest {
    @Test
    void everyCodePointHasTheClassesTheLibrarysRegexEngineGivesIt() {
        Map<Character, Integer> flags = Map.of('L', UnicodeClasses.LETTER, 'N', UnicodeClasses.NUMBER,
                'S', UnicodeClasses.SPACE);
        for (Map.Entry<Character, String> e : UnicodeClassesProbe.PATTERNS.entrySet()) {
            boolean[] library = UnicodeClassesProbe.matches(e.getValue());
            int flag = flags.get(e.getKey());
            for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
                if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                    continue;
                }
                boolean table = (UnicodeClasses.of(cp) & flag) != 0;
                if (table != library[cp]) {
                    fail(String.format("U+%04X: the library's regex engine says %s %s it, unicode-classes.txt"
                            + " says the opposite; rewrite the table with UnicodeClassesProbe", cp, e.getValue(),
                            library[cp] ? "matches" : "does not match"));
                }
            }
        }
    }

    @Test
    void theClassesAreTheFamiliarOnes() {
        assertEquals(UnicodeClasses.LETTER, UnicodeClasses.of('a'));
        assertEquals(UnicodeClasses.LETTER, UnicodeClasses.of('日'));
        assertEquals(UnicodeClasses.LETTER, UnicodeClasses.of(0x20000)); // CJK Extension B
        assertEquals(UnicodeClasses.NUMBER, UnicodeClasses.of('7'));
        assertEquals(UnicodeClasses.NUMBER, UnicodeClasses.of('½'));
        assertEquals(UnicodeClasses.NUMBER, UnicodeClasses.of(0x1D7D8)); // mathematical double-struck zero
        assertEquals(UnicodeClasses.SPACE, UnicodeClasses.of('\u00A0'));
        assertEquals(UnicodeClasses.SPACE, UnicodeClasses.of('\u3000'));
        assertEquals(0, UnicodeClasses.of('\u200B')); // zero-width space is not white space
        assertEquals(0, UnicodeClasses.of(0x1F600)); // an emoji
        assertEquals(0, UnicodeClasses.of('\u0301')); // a combining mark
    }
}

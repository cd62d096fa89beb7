package io.jtune.finetune.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The overlap scores on pairs worked out by hand. */
class TextMetricsTest {
    @Test
    void normalisingFoldsCasePunctuationAndWhiteSpace() {
        assertEquals("hello world", TextMetrics.normalize("  Hello,\n\tWORLD!  "));
        assertEquals("verdict non compliant", TextMetrics.normalize("Verdict: NON-COMPLIANT."));
        assertEquals(List.of(), TextMetrics.tokens(" ... "));
        assertEquals(1.0, TextMetrics.exactMatch("Verdict: COMPLIANT.", "verdict   compliant"));
        assertEquals(0.0, TextMetrics.exactMatch("Verdict: COMPLIANT", "Verdict: NON-COMPLIANT"));
    }

    @Test
    void tokenF1CountsSharedWordsAsMultisets() {
        // 6 and 6 words, 5 shared (the twice, cat, on, mat): P = R = 5/6
        assertEquals(5.0 / 6, TextMetrics.tokenF1("the cat sat on the mat", "the cat is on the mat"), 1e-12);
        // "the" three times against once: 1 shared of 3 predicted, of 2 reference; F1 = 2*(1/3)(1/2)/(5/6) = 0.4
        assertEquals(0.4, TextMetrics.tokenF1("the the the", "the end"), 1e-12);
        assertEquals(0.0, TextMetrics.tokenF1("alpha", "beta"));
        assertEquals(1.0, TextMetrics.tokenF1("", "  "));
        assertEquals(0.0, TextMetrics.tokenF1("", "something"));
    }

    @Test
    void rougeLIsTheF1OfTheLongestCommonSubsequence() {
        // LCS police, the, gunman: 3 of 4 and 3 of 4
        assertEquals(0.75, TextMetrics.rougeL("police killed the gunman", "police kill the gunman"), 1e-12);
        // order matters: LCS the, gunman = 2 of 4 each
        assertEquals(0.5, TextMetrics.rougeL("the gunman kill police", "police killed the gunman"), 1e-12);
        // LCS a, c, e: P 3/5, R 3/3, F = 2*0.6/1.6
        assertEquals(0.75, TextMetrics.rougeL("a b c d e", "a c e"), 1e-12);
        assertEquals(3, TextMetrics.lcs(List.of("x", "a", "y", "b", "c"), List.of("a", "b", "z", "c")));
        assertEquals(0.0, TextMetrics.rougeL("x y", "a b"));
    }
}

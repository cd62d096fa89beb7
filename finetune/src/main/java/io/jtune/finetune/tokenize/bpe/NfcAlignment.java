package io.jtune.finetune.tokenize.bpe;

import java.text.Normalizer;

/**
 * A piece of text in Unicode NFC, with, for each of its chars, the characters of the original it
 * stands for, as the Rust {@code tokenizers} library aligns them: the piece is cut into
 * composition units (a character and the marks or Hangul vowel and final jamo after it), and
 * within a unit the output characters take the original ones in order. A unit that composes into
 * one character takes the first original character (the absorbed marks are then covered by no
 * token, as in the library); a character that NFC expands takes the original character for each
 * of its parts.
 *
 * <p>Other units, where the library's alignment depends on how composition and reordering
 * interleave (several output characters from more original ones, or an expansion inside a longer
 * unit), are not aligned here: {@link #of} returns {@code null} and the text goes to the library.
 */
final class NfcAlignment {
    /** The NFC text. */
    final String text;
    /** For each char of {@link #text}: start and end index in the original of the character it stands for. */
    final int[] starts;
    final int[] ends;

    private NfcAlignment(String text, int[] starts, int[] ends) {
        this.text = text;
        this.starts = starts;
        this.ends = ends;
    }

    /** The NFC form of {@code original[start, end)} with its alignment, or {@code null} when it cannot be aligned exactly. */
    static NfcAlignment of(String original, int start, int end) {
        String nfc = Normalizer.normalize(original.subSequence(start, end), Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(nfc.length());
        int[] starts = new int[nfc.length()];
        int[] ends = new int[nfc.length()];
        int unitStart = start;
        while (unitStart < end) {
            int unitEnd = unitStart + Character.charCount(original.codePointAt(unitStart));
            while (unitEnd < end && combinesWithPrevious(original.codePointAt(unitEnd))) {
                unitEnd += Character.charCount(original.codePointAt(unitEnd));
            }
            String unit = Normalizer.normalize(original.subSequence(unitStart, unitEnd), Normalizer.Form.NFC);
            int k = original.codePointCount(unitStart, unitEnd);
            int m = unit.codePointCount(0, unit.length());
            if (m != k && !(m == 1 || k == 1)) {
                return null;
            }
            int o = unitStart;
            for (int i = 0; i < unit.length(); ) {
                int length = Character.charCount(unit.codePointAt(i));
                int oEnd = o + Character.charCount(original.codePointAt(o)); // for m == 1, the first character only
                if (out.length() + length > starts.length) {
                    return null;
                }
                for (int c = 0; c < length; c++) {
                    starts[out.length() + c] = o;
                    ends[out.length() + c] = oEnd;
                }
                out.append(unit, i, i + length);
                i += length;
                if (m == k) {
                    o = oEnd; // one for one; an expansion (k == 1) keeps the one original character
                }
            }
            unitStart = unitEnd;
        }
        if (!out.toString().equals(nfc)) {
            return null; // NFC across a unit boundary did something the units do not show
        }
        return new NfcAlignment(nfc, starts, ends);
    }

    /** Whether NFC may join {@code cp} to the character before it: a combining mark, or a Hangul medial or final jamo. */
    private static boolean combinesWithPrevious(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK || (cp >= 0x1160 && cp <= 0x11FF) || (cp >= 0xD7B0 && cp <= 0xD7FF);
    }
}

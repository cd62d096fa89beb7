package io.jtune.finetune.tokenize.bpe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The character classes that the pre-tokenizer regular expressions of byte-level BPE tokenizers
 * use ({@code \p{L}}, {@code \p{N}}, {@code \s}), exactly as the Rust {@code tokenizers} library's
 * regex engine (Oniguruma) matches them.
 *
 * <p>They come from a table ({@value #RESOURCE}) that was probed from the library DJL bundles, not
 * from {@link Character}: the JDK's Unicode version (13.0 for Java 17) is older or newer than the
 * library's, and a letter that one knows and the other does not would split a text differently.
 * {@code UnicodeClassesTest} checks every code point against the library.
 */
final class UnicodeClasses {
    /** A letter: {@code \p{L}}. */
    static final int LETTER = 1;
    /** A number: {@code \p{N}}. */
    static final int NUMBER = 2;
    /** White space: {@code \s}. */
    static final int SPACE = 4;

    /** The table's file name, next to this class. */
    static final String RESOURCE = "unicode-classes.txt";

    private static final byte[] BMP = new byte[0x10000];
    /** Ranges above the BMP: sorted, disjoint starts and ends (inclusive) with their classes. */
    private static final int[] SUPPLEMENTARY_STARTS;
    private static final int[] SUPPLEMENTARY_ENDS;
    private static final byte[] SUPPLEMENTARY_CLASSES;

    static {
        List<int[]> supplementary = new ArrayList<>();
        try (InputStream in = UnicodeClasses.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jtune-finetune jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ");
                int flag = parts.length != 3 ? 0 : switch (parts[0]) {
                    case "L" -> LETTER;
                    case "N" -> NUMBER;
                    case "S" -> SPACE;
                    default -> 0;
                };
                if (flag == 0) {
                    throw new IllegalStateException(RESOURCE + " line " + lineNumber + " is not 'L|N|S first last': " + line);
                }
                int first = Integer.parseInt(parts[1], 16);
                int last = Integer.parseInt(parts[2], 16);
                for (int cp = first; cp <= Math.min(last, 0xFFFF); cp++) {
                    BMP[cp] |= (byte) flag;
                }
                if (last > 0xFFFF) {
                    supplementary.add(new int[] {Math.max(first, 0x10000), last, flag});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        // The three classes are disjoint in Unicode, so the ranges do not overlap; sort them by start.
        supplementary.sort((a, b) -> Integer.compare(a[0], b[0]));
        SUPPLEMENTARY_STARTS = new int[supplementary.size()];
        SUPPLEMENTARY_ENDS = new int[supplementary.size()];
        SUPPLEMENTARY_CLASSES = new byte[supplementary.size()];
        for (int i = 0; i < supplementary.size(); i++) {
            int[] r = supplementary.get(i);
            if (i > 0 && r[0] <= SUPPLEMENTARY_ENDS[i - 1]) {
                throw new IllegalStateException(RESOURCE + ": ranges overlap at " + Integer.toHexString(r[0]));
            }
            SUPPLEMENTARY_STARTS[i] = r[0];
            SUPPLEMENTARY_ENDS[i] = r[1];
            SUPPLEMENTARY_CLASSES[i] = (byte) r[2];
        }
    }

    private UnicodeClasses() {}

    /** The classes of a code point: a combination of {@link #LETTER}, {@link #NUMBER} and {@link #SPACE}, or 0. */
    static int of(int codePoint) {
        if (codePoint < 0x10000) {
            return BMP[codePoint];
        }
        int i = Arrays.binarySearch(SUPPLEMENTARY_STARTS, codePoint);
        if (i < 0) {
            i = -i - 2;
        }
        return i >= 0 && codePoint <= SUPPLEMENTARY_ENDS[i] ? SUPPLEMENTARY_CLASSES[i] : 0;
    }
}

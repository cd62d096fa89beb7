package io.jtune.finetune.tokenize.bpe;

import io.jtune.finetune.model.TinyModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded texts that probe a byte-level BPE encoder where it can go wrong: prose, long numbers,
 * runs of every kind of white space, contractions in any case, punctuation runs, accents and
 * combining marks, CJK, emoji and other characters outside the BMP, letters and digits of many
 * scripts, control characters, unassigned code points, and added tokens inside words.
 */
final class BpeTestTexts {
    private static final String CORPUS = TinyModels.trainingText();

    private static final String[] WORDS = {"the", "The", "THE", "model", "Model", "data", "hello", "world", "tokenizer",
        "x", "y", "z", "xyz", "xyzz", "zzzz", "yzxyz", "xxyyzz", "ab", "abc", "abcd", "im", "start", "im_start",
        "end", "of", "text", "a", "I", "é", "naïve", "café", "Ångström", "Straße", "ÉCOLE", "ﬁne", "ǅemal", "ſtop"};
    private static final String[] NUMBERS = {"0", "7", "42", "123", "1234", "12345", "1234567", "3.14159",
        "1,000,000", "2026", "00012", "99999999999999999999", "١٢٣٤", "०१२३४", "Ⅻ", "½", "²³", "𝟘𝟙𝟚𝟛", "٣.١٤"};
    private static final String[] SPACES = {" ", "  ", "   ", "    ", "\t", "\t\t", "\n", "\n\n", "\r\n", "\r",
        " \n", "\n ", " \n ", "  \n\n  ", "\u000B", "\f", "\u00A0", "\u3000", "\u2028", "\u2029", "\u0085", "\u1680",
        "\u2003", "\u202F", " \u00A0 ", "\t\n", "\n\t", "\r\r\n"};
    private static final String[] CONTRACTIONS = {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T", "'RE",
        "'Ve", "'M", "'LL", "'lL", "'D", "'ſ", "'ﬅ", "'ß", "'x", "'", "''", "'1", "' s", "n't", "it's", "I'M",
        "they'RE", "we'll've"};
    private static final String[] PUNCTUATION = {".", ",", "!", "?", "...", "!!!", "?!", "—", "–", "«", "»", "\"",
        "(", ")", "[]", "{}", "<", ">", "<|", "|>", "|", "#", "##", "$", "%", "&&", "*", "+", "-", "--", "=", "==>",
        "@", "\\", "/", "//", ":", ";", "~", "`", "```", "_", "__", "^", "«»", "¿¡", "。", "、", "・"};
    private static final String[] OTHER = {"日本語", "中文字符", "한국어", "\u1100\u1161\u11A8", "ひらがな", "カタカナ",
        "Ελληνικά", "русский", "עברית", "العربية", "हिन्दी", "ไทย", "ქართული", "😀", "👍🏽", "👨‍👩‍👧", "🇫🇷", "𝔘𝔫𝔦",
        "𠀀𠀁", "𝒜", "\uD803\uDD4A", "\u1C89", "\uA7CB", "\u0870", "e\u0301", "a\u0300\u0316", "\u0301",
        "\u0308\u0301", "o\u0302\u0323", "\u0000", "\u0001", "\u007F", "\u0378", "\uE000", "\uFFFE", "\uFFFF",
        "\uDBFF\uDFFF", "\u200B", "\u200D", "\uFEFF", "\u00AD", "Ⓐ", "ª", "º", "µ", "ℌ", "ǈ", "ʰ", "々", "〇"};

    private BpeTestTexts() {}

    /**
     * {@code count} texts from {@code seed}: the empty string and four long texts first, then
     * concatenations of 1 to 16 fragments (some of them {@code addedTokens}, some random code
     * points, some slices of the tiny models' training text).
     */
    static List<String> generate(long seed, int count, List<String> addedTokens) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(count);
        out.add("");
        // Words too long for the word cache, and encodings longer than the first output arrays.
        out.add("a".repeat(1000));
        out.add(" ".repeat(600) + "x" + "\n".repeat(300) + "\t ".repeat(200));
        out.add("ab".repeat(700) + "7".repeat(400) + "日本".repeat(300) + "😀".repeat(200));
        StringBuilder longText = new StringBuilder();
        while (longText.length() < 6000) {
            longText.append(fragment(random, addedTokens));
        }
        out.add(longText.toString());
        while (out.size() < count) {
            StringBuilder text = new StringBuilder();
            int fragments = 1 + random.nextInt(16);
            for (int f = 0; f < fragments; f++) {
                text.append(fragment(random, addedTokens));
            }
            out.add(text.toString());
        }
        return out;
    }

    private static String fragment(Random random, List<String> addedTokens) {
        switch (random.nextInt(12)) {
            case 0, 1:
                return pick(random, WORDS);
            case 2:
                return pick(random, NUMBERS);
            case 3, 4:
                return pick(random, SPACES);
            case 5:
                return pick(random, CONTRACTIONS);
            case 6:
                return pick(random, PUNCTUATION);
            case 7:
                return pick(random, OTHER);
            case 8: {
                if (addedTokens.isEmpty()) {
                    return " ";
                }
                String token = addedTokens.get(random.nextInt(addedTokens.size()));
                // Sometimes only a part of it, or two in a row.
                return switch (random.nextInt(4)) {
                    case 0 -> token.substring(0, 1 + random.nextInt(token.length()));
                    case 1 -> token + token;
                    default -> token;
                };
            }
            case 9: {
                int start = random.nextInt(CORPUS.length() - 200);
                return CORPUS.substring(start, start + 1 + random.nextInt(200));
            }
            case 10: {
                StringBuilder digits = new StringBuilder();
                int n = 1 + random.nextInt(25);
                for (int i = 0; i < n; i++) {
                    digits.append((char) ('0' + random.nextInt(10)));
                }
                return (random.nextBoolean() ? " " : "") + digits;
            }
            default: {
                StringBuilder s = new StringBuilder();
                int n = 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    int cp;
                    do {
                        cp = random.nextInt(4) == 0 ? random.nextInt(0x800) : random.nextInt(Character.MAX_CODE_POINT + 1);
                    } while (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
                    s.appendCodePoint(cp);
                }
                return s.toString();
            }
        }
    }

    private static String pick(Random random, String[] from) {
        return from[random.nextInt(from.length)];
    }

    /** A text as a Java string literal, so that a failing one can be pasted into a test. */
    static String literal(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04X", (int) c));
            }
        }
        return out.append('"').toString();
    }
}

package io.jtune.finetune.tokenize.bpe;

/**
 * The pre-tokenizer regular expressions of the byte-level BPE families, matched by hand with the
 * semantics of the Rust {@code tokenizers} library's regex engine (Oniguruma: leftmost match,
 * alternatives tried in order, greedy quantifiers with backtracking), and its character classes
 * ({@link UnicodeClasses}).
 *
 * <p>Only the exact pattern strings below are recognised; a tokenizer with any other pattern is
 * left to the Rust library. Each of these patterns matches at every position (every code point is
 * a letter, a number, white space or something else, and one alternative takes each kind), so
 * splitting a text is a sequence of {@link #matchEnd} calls, each match starting where the
 * previous one ended, and no match is empty.
 */
enum PreTokenizerRegex {
    /** GPT-2's, built into the {@code ByteLevel} pre-tokenizer ({@code use_regex: true}). */
    GPT2("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+", 0),
    /** Llama 3's (OpenAI's cl100k_base): case-insensitive contractions, up to three digits at a time. */
    LLAMA3("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", 3),
    /** Qwen2's: Llama 3's with one digit at a time. */
    QWEN2("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+", 1);

    private static final int LETTER = UnicodeClasses.LETTER;
    private static final int NUMBER = UnicodeClasses.NUMBER;
    private static final int SPACE = UnicodeClasses.SPACE;
    /** Neither a letter, a number nor white space: {@code [^\s\p{L}\p{N}]}. */
    private static final int OTHER = 0;

    private final String pattern;
    /** For the Llama 3 family, the most digits in one match; 0 for GPT-2. */
    private final int maxDigits;

    PreTokenizerRegex(String pattern, int maxDigits) {
        this.pattern = pattern;
        this.maxDigits = maxDigits;
    }

    /** The pattern, as {@code tokenizer.json} writes it. */
    String pattern() {
        return pattern;
    }

    /** The expression with exactly this pattern, or {@code null} when it is none of them. */
    static PreTokenizerRegex forPattern(String pattern) {
        for (PreTokenizerRegex r : values()) {
            if (r.pattern.equals(pattern)) {
                return r;
            }
        }
        return null;
    }

    /**
     * The end of the match that starts at {@code start} in {@code text[start, end)}, as the regex
     * engine finds it searching that piece alone (so {@code (?!\S)} sees the piece's end as the
     * end of the text). {@code start < end}; the piece holds no unpaired surrogate.
     */
    int matchEnd(String text, int start, int end) {
        return maxDigits == 0 ? gpt2(text, start, end) : llama3(text, start, end);
    }

    private int gpt2(String text, int i, int end) {
        int c = codePointAt(text, i);
        int next = i + Character.charCount(c);
        // 's|'t|'re|'ve|'m|'ll|'d
        if (c == '\'' && next < end) {
            char a = text.charAt(next);
            if (a == 's' || a == 't' || a == 'm' || a == 'd') {
                return next + 1;
            }
            if (next + 1 < end) {
                char b = text.charAt(next + 1);
                if ((a == 'r' || a == 'v') && b == 'e' || a == 'l' && b == 'l') {
                    return next + 2;
                }
            }
        }
        // ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+': a space joins the run after it.
        if (c == ' ' && next < end) {
            int kind = UnicodeClasses.of(codePointAt(text, next));
            if (kind != SPACE) {
                return runEnd(text, next, end, kind);
            }
        }
        int kind = UnicodeClasses.of(c);
        if (kind != SPACE) {
            return runEnd(text, i, end, kind);
        }
        return spaces(text, i, end);
    }

    private int llama3(String text, int i, int end) {
        int c = codePointAt(text, i);
        int next = i + Character.charCount(c);
        // (?i:'s|'t|'re|'ve|'m|'ll|'d); besides ASCII, the engine folds only U+017F (long s) to s.
        if (c == '\'' && next < end) {
            char a = text.charAt(next);
            if (a == 's' || a == 'S' || a == '\u017F' || a == 't' || a == 'T' || a == 'm' || a == 'M' || a == 'd'
                    || a == 'D') {
                return next + 1;
            }
            if (next + 1 < end) {
                char b = text.charAt(next + 1);
                boolean e = b == 'e' || b == 'E';
                if ((a == 'r' || a == 'R' || a == 'v' || a == 'V') && e
                        || (a == 'l' || a == 'L') && (b == 'l' || b == 'L')) {
                    return next + 2;
                }
            }
        }
        int kind = UnicodeClasses.of(c);
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (kind == LETTER) {
            return runEnd(text, i, end, LETTER);
        }
        if (kind != NUMBER && c != '\r' && c != '\n' && next < end
                && UnicodeClasses.of(codePointAt(text, next)) == LETTER) {
            return runEnd(text, next, end, LETTER);
        }
        // \p{N}{1,3} (or \p{N})
        if (kind == NUMBER) {
            int j = i;
            for (int n = 0; n < maxDigits && j < end; n++) {
                int d = codePointAt(text, j);
                if (UnicodeClasses.of(d) != NUMBER) {
                    break;
                }
                j += Character.charCount(d);
            }
            return j;
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        int from = -1;
        if (kind == OTHER) {
            from = i;
        } else if (c == ' ' && next < end && UnicodeClasses.of(codePointAt(text, next)) == OTHER) {
            from = next;
        }
        if (from >= 0) {
            int j = runEnd(text, from, end, OTHER);
            while (j < end && (text.charAt(j) == '\r' || text.charAt(j) == '\n')) {
                j++;
            }
            return j;
        }
        // \s*[\r\n]+: the white space up to its last line break, when it has one.
        int j = runEnd(text, i, end, SPACE);
        for (int p = j - 1; p >= i; p--) {
            if (text.charAt(p) == '\r' || text.charAt(p) == '\n') {
                return p + 1;
            }
        }
        return spaces(text, i, end);
    }

    /**
     * {@code \s+(?!\S)|\s+} at a white space character: the run, less its last character when a
     * non-space follows and the run has more than one (white space characters are all in the BMP).
     */
    private static int spaces(String text, int i, int end) {
        int j = runEnd(text, i, end, SPACE);
        return j < end && j - 1 > i ? j - 1 : j;
    }

    /** The end of the run of code points of class {@code kind} (one of the four) from {@code i}. */
    private static int runEnd(String text, int i, int end, int kind) {
        while (i < end) {
            int c = codePointAt(text, i);
            if (UnicodeClasses.of(c) != kind) {
                break;
            }
            i += Character.charCount(c);
        }
        return i;
    }

    private static int codePointAt(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
            char low = text.charAt(i + 1);
            if (Character.isLowSurrogate(low)) {
                return Character.toCodePoint(c, low);
            }
        }
        return c;
    }
}

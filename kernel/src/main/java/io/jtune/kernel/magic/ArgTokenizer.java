package io.jtune.kernel.magic;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits magic arguments into words the way a shell would: whitespace separates words, single
 * quotes keep everything literally, double quotes keep everything but honour backslash escapes
 * ({@code \"}, {@code \\}, {@code \n}, {@code \t}; any other backslash is kept as typed). Outside
 * quotes a backslash is an ordinary character, so Windows paths need no quoting.
 */
final class ArgTokenizer {
    private ArgTokenizer() {}

    static List<ArgToken> tokenize(String raw) throws MagicException {
        List<ArgToken> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int start = -1;
        boolean quoted = false;
        int unquotedPrefix = -1;
        int i = 0;
        int n = raw.length();
        while (i < n) {
            char c = raw.charAt(i);
            if (Character.isWhitespace(c)) {
                if (start >= 0) {
                    tokens.add(token(word, start, quoted, unquotedPrefix));
                    word.setLength(0);
                    start = -1;
                    quoted = false;
                    unquotedPrefix = -1;
                }
                i++;
                continue;
            }
            if (start < 0) {
                start = i;
            }
            if (c == '\'' || c == '"') {
                if (unquotedPrefix < 0) {
                    unquotedPrefix = word.length();
                }
                quoted = true;
                i = c == '\'' ? single(raw, i, word) : dbl(raw, i, word);
            } else {
                word.append(c);
                i++;
            }
        }
        if (start >= 0) {
            tokens.add(token(word, start, quoted, unquotedPrefix));
        }
        return tokens;
    }

    private static ArgToken token(StringBuilder word, int start, boolean quoted, int prefix) {
        String text = word.toString();
        return new ArgToken(text, start, quoted, prefix < 0 ? text.length() : prefix);
    }

    /** Reads a single-quoted section starting at {@code open}; returns the index after it. */
    private static int single(String raw, int open, StringBuilder word) throws MagicException {
        int close = raw.indexOf('\'', open + 1);
        if (close < 0) {
            throw unterminated('\'', open);
        }
        word.append(raw, open + 1, close);
        return close + 1;
    }

    /** Reads a double-quoted section starting at {@code open}; returns the index after it. */
    private static int dbl(String raw, int open, StringBuilder word) throws MagicException {
        int i = open + 1;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < raw.length()) {
                char next = raw.charAt(i + 1);
                switch (next) {
                    case '"', '\\' -> word.append(next);
                    case 'n' -> word.append('\n');
                    case 't' -> word.append('\t');
                    default -> word.append(c).append(next);
                }
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw unterminated('"', open);
    }

    private static MagicException unterminated(char quote, int index) {
        return new MagicException(
                "Unterminated " + quote + " quote: it opens at column " + (index + 1)
                        + " and is never closed");
    }
}

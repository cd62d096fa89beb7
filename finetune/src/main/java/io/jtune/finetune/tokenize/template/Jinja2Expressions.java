package io.jtune.finetune.tokenize.template;

import java.util.Arrays;
import java.util.Set;

/**
 * Rewrites the inside of a tag from Jinja2 syntax to what Jinjava's parser reads the same way:
 * string literals get Python's escapes ({@code \\u00e9}, {@code \\x41}, unknown escapes kept
 * as written) decoded and are re-quoted with the escapes Jinjava knows; a slice with a step,
 * {@code x[a:b:c]} (which Jinjava cannot parse), becomes an item lookup with a
 * {@link PythonSlice} key, {@code x[__jt_slice__(a, b, c)]}.
 */
final class Jinja2Expressions {
    /** The function that makes a {@link PythonSlice}. */
    static final String SLICE_FUNCTION = "__jt_slice__";

    private Jinja2Expressions() {}

    /**
     * Returns {@code expression} rewritten.
     *
     * @throws IllegalArgumentException for an unterminated string or an unbalanced bracket
     */
    static String rewrite(String expression) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (c == '\'' || c == '"') {
                int end = stringEnd(expression, i);
                out.append(requote(decode(expression.substring(i + 1, end - 1))));
                i = end;
            } else if (c == '[') {
                int close = matching(expression, i);
                String inside = expression.substring(i + 1, close);
                int[] colons = topLevel(inside, ':');
                if (colons.length == 2) {
                    out.append('[').append(SLICE_FUNCTION).append('(')
                            .append(part(inside.substring(0, colons[0]))).append(", ")
                            .append(part(inside.substring(colons[0] + 1, colons[1]))).append(", ")
                            .append(part(inside.substring(colons[1] + 1))).append(")]");
                } else {
                    out.append('[').append(rewrite(inside)).append(']');
                }
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String part(String s) {
        return s.isBlank() ? "none" : rewrite(s);
    }

    /**
     * Adds the names of the filters ({@code x | name}) and tests ({@code x is name},
     * {@code x is not name}) that {@code expression} uses.
     */
    static void collectNames(String expression, Set<String> filters, Set<String> tests) {
        String previousWord = "";
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (c == '\'' || c == '"') {
                i = stringEnd(expression, i);
                previousWord = "";
            } else if (c == '|') {
                int start = skipSpaces(expression, i + 1);
                int end = identifierEnd(expression, start);
                if (end > start) {
                    filters.add(expression.substring(start, end));
                }
                i = Math.max(end, i + 1);
                previousWord = "";
            } else if (Character.isLetter(c) || c == '_') {
                int end = identifierEnd(expression, i);
                String word = expression.substring(i, end);
                boolean attribute = i > 0 && expression.charAt(i - 1) == '.';
                if (!attribute && previousWord.equals("is") && !word.equals("not")) {
                    tests.add(word);
                }
                if (!attribute && word.equals("not") && previousWord.equals("is")) {
                    previousWord = "is";
                } else {
                    previousWord = attribute ? "" : word;
                }
                i = end;
            } else {
                if (!Character.isWhitespace(c)) {
                    previousWord = "";
                }
                i++;
            }
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int identifierEnd(String s, int i) {
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
        }
        return i;
    }

    /** The index just after the string literal that starts at {@code start}. */
    static int stringEnd(String s, int start) {
        char quote = s.charAt(start);
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unterminated string");
    }

    /** The index of the bracket closing the one at {@code open}. */
    private static int matching(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = stringEnd(s, i) - 1;
            } else if (c == '[' || c == '(' || c == '{') {
                depth++;
            } else if (c == ']' || c == ')' || c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        throw new IllegalArgumentException("unbalanced '" + s.charAt(open) + "'");
    }

    /** Where {@code wanted} occurs outside strings and brackets. */
    static int[] topLevel(String s, char wanted) {
        int[] found = new int[s.length()];
        int n = 0;
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = stringEnd(s, i) - 1;
            } else if (c == '[' || c == '(' || c == '{') {
                depth++;
            } else if (c == ']' || c == ')' || c == '}') {
                depth--;
            } else if (c == wanted && depth == 0) {
                found[n++] = i;
            }
        }
        return Arrays.copyOf(found, n);
    }

    /** Python's {@code unicode-escape} decoding of a string literal's text. */
    static String decode(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case '\n' -> { }
                case '\\' -> out.append('\\');
                case '\'' -> out.append('\'');
                case '"' -> out.append('"');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x' -> i = hex(s, i, 2, out);
                case 'u' -> i = hex(s, i, 4, out);
                case 'U' -> i = hex(s, i, 8, out);
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i;
                        while (end < s.length() && end < i + 3 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
                            end++;
                        }
                        out.appendCodePoint(Integer.parseInt(s.substring(i, end), 8));
                        i = end - 1;
                    } else {
                        out.append('\\').append(e);
                    }
                }
            }
        }
        return out.toString();
    }

    private static int hex(String s, int at, int digits, StringBuilder out) {
        if (at + digits >= s.length()) {
            throw new IllegalArgumentException("truncated \\" + s.charAt(at) + " escape");
        }
        String hex = s.substring(at + 1, at + 1 + digits);
        try {
            out.appendCodePoint(Integer.parseInt(hex, 16));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad \\" + s.charAt(at) + " escape '" + hex + "'");
        }
        return at + digits;
    }

    /** A single-quoted literal Jinjava reads back as {@code value}. */
    private static String requote(String value) {
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}

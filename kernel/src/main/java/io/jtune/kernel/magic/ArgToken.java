package io.jtune.kernel.magic;

/**
 * One shell-like word of a magic's arguments, with quotes removed.
 *
 * @param text the word without its quotes, escapes applied
 * @param start index in the raw text where the word begins (0-based)
 * @param quoted whether any part of the word was quoted
 * @param unquotedPrefix how many leading characters of {@code text} came from unquoted input
 */
record ArgToken(String text, int start, boolean quoted, int unquotedPrefix) {

    /** Index of the first {@code =} in the unquoted prefix, or -1. */
    int unquotedEquals() {
        int eq = text.indexOf('=');
        return eq >= 0 && eq < unquotedPrefix ? eq : -1;
    }

    /** Whether the word starts with {@code prefix} typed outside quotes. */
    boolean startsUnquoted(String prefix) {
        return unquotedPrefix >= prefix.length() && text.startsWith(prefix);
    }
}

package io.jtune.kernel.server;

/** The protocol counts cursor positions in Unicode code points (5.2+); Java strings in UTF-16 units. */
final class Cursors {
    private Cursors() {}

    static int toUtf16(String s, int codePoints) {
        int total = s.codePointCount(0, s.length());
        return s.offsetByCodePoints(0, Math.max(0, Math.min(codePoints, total)));
    }

    static int toCodePoints(String s, int utf16) {
        return s.codePointCount(0, Math.max(0, Math.min(utf16, s.length())));
    }
}

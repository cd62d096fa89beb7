package io.jtune.finetune.data.read;

/**
 * Recognises a file saved as UTF-16 or UTF-32 from its first bytes: a byte order mark, or, without
 * one, the NUL bytes that mostly-ASCII text has in those encodings (every second byte in UTF-16,
 * three of every four in UTF-32). UTF-8 text has no NUL bytes, so their pattern is telling.
 */
final class ForeignEncoding {
    private ForeignEncoding() {
    }

    /** What a file of this beginning is encoded in, e.g. {@code UTF-16LE (with a byte order mark)}; null if not UTF-16/32. */
    static String detect(byte[] head) {
        int n = head.length;
        if (n >= 4 && u(head[0]) == 0xFF && u(head[1]) == 0xFE && head[2] == 0 && head[3] == 0) {
            return "UTF-32LE (with a byte order mark)";
        } else if (n >= 4 && head[0] == 0 && head[1] == 0 && u(head[2]) == 0xFE && u(head[3]) == 0xFF) {
            return "UTF-32BE (with a byte order mark)";
        } else if (n >= 2 && u(head[0]) == 0xFF && u(head[1]) == 0xFE) {
            return "UTF-16LE (with a byte order mark)";
        } else if (n >= 2 && u(head[0]) == 0xFE && u(head[1]) == 0xFF) {
            return "UTF-16BE (with a byte order mark)";
        }
        String unmarked = byNulPattern(head);
        return unmarked == null ? null : unmarked + " (no byte order mark; NUL bytes between the characters)";
    }

    private static String byNulPattern(byte[] head) {
        int quads = head.length / 4;
        if (quads == 0) {
            return null;
        }
        int[] zeros = new int[4];
        for (int i = 0; i < quads * 4; i++) {
            if (head[i] == 0) {
                zeros[i % 4]++;
            }
        }
        boolean most0 = zeros[0] * 10 >= quads * 9;
        boolean most1 = zeros[1] * 10 >= quads * 9;
        boolean most2 = zeros[2] * 10 >= quads * 9;
        boolean most3 = zeros[3] * 10 >= quads * 9;
        if (most1 && most2 && most3 && zeros[0] < quads) {
            return "UTF-32LE";
        } else if (most0 && most1 && most2 && zeros[3] < quads) {
            return "UTF-32BE";
        }
        int pairs = quads * 2;
        int oddZeros = zeros[1] + zeros[3];
        int evenZeros = zeros[0] + zeros[2];
        if (oddZeros * 2 >= pairs && evenZeros * 10 < pairs) {
            return "UTF-16LE";
        } else if (evenZeros * 2 >= pairs && oddZeros * 10 < pairs) {
            return "UTF-16BE";
        }
        return null;
    }

    private static int u(byte b) {
        return b & 0xff;
    }
}

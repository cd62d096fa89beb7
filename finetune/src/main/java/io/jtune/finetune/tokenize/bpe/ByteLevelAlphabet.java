package io.jtune.finetune.tokenize.bpe;

/**
 * GPT-2's byte-to-unicode mapping: each of the 256 byte values stands for one printable character,
 * so that byte-level BPE tokens are strings. Bytes that are printable Latin-1 characters map to
 * themselves; the others (controls, space, ...) map to {@code U+0100} and up, in byte order.
 *
 * <p>Token id {@code i < 256} of a {@link ByteLevelBpe} vocabulary is the {@code i}-th byte in
 * GPT-2's order: {@code '!'..'~'}, {@code '¡'..'¬'}, {@code '®'..'ÿ'}, then the remaining bytes.
 */
final class ByteLevelAlphabet {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] ID_TO_BYTE = new int[256];
    private static final int[] BYTE_TO_ID = new int[256];

    static {
        int id = 0;
        boolean[] printable = new boolean[256];
        for (int b = 0; b < 256; b++) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        }
        for (int b = 0; b < 256; b++) {
            if (printable[b]) {
                BYTE_TO_CHAR[b] = (char) b;
                ID_TO_BYTE[id] = b;
                BYTE_TO_ID[b] = id++;
            }
        }
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) {
                BYTE_TO_CHAR[b] = (char) (256 + extra++);
                ID_TO_BYTE[id] = b;
                BYTE_TO_ID[b] = id++;
            }
        }
    }

    private ByteLevelAlphabet() {}

    /** The character that stands for byte {@code b} (0-255). */
    static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte of the base token with id {@code id} (0-255). */
    static int byteOf(int id) {
        return ID_TO_BYTE[id];
    }

    /** The id of the base token for byte {@code b} (0-255). */
    static int idOf(int b) {
        return BYTE_TO_ID[b & 0xFF];
    }

    /** The token string of some bytes: one character per byte. */
    static String encode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(charOf(b));
        }
        return sb.toString();
    }
}

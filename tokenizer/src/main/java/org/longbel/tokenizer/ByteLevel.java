package org.longbel.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's reversible map between bytes and printable characters, used by the ByteLevel pre-tokenizer and
 * decoder: printable Latin-1 bytes map to themselves, the 68 others to U+0100 and up, in byte order.
 */
final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[324];

    static {
        Arrays.fill(CHAR_TO_BYTE, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + extra++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {}

    /** The character standing for byte {@code b} (0..255). */
    static char charOf(int b) { return BYTE_TO_CHAR[b & 0xFF]; }

    /** The byte a character stands for, or -1 if it is not one of the 256 byte characters. */
    static int byteOf(char c) { return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1; }

    /**
     * Writes the bytes a token string stands for into {@code out} at {@code pos} (room for
     * {@code 3 * token.length()} bytes needed) and returns the position after them. As Hugging Face's
     * ByteLevel decoder: each character is mapped back to its byte, or, when any character is not a byte
     * character, the token's own UTF-8 bytes are written.
     */
    static int writeTokenBytes(String token, byte[] out, int pos) {
        if (!toBytes(token, out, pos)) {
            byte[] raw = token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            System.arraycopy(raw, 0, out, pos, raw.length);
            return pos + raw.length;
        }
        return pos + token.length();
    }

    /** Writes the bytes a token of byte characters stands for into {@code out} at {@code pos}; false if a character is not one. */
    static boolean toBytes(String token, byte[] out, int pos) {
        for (int i = 0; i < token.length(); i++) {
            int b = byteOf(token.charAt(i));
            if (b < 0) return false;
            out[pos + i] = (byte) b;
        }
        return true;
    }
}

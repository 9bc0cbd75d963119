package org.longbel.tokenizer;

/** UTF-16 helpers. */
final class Utf16 {
    private Utf16() {}

    /**
     * The text with every unpaired surrogate replaced by U+FFFD, as a Rust {@code String} made from it
     * would hold (a Rust string cannot contain surrogates). Returns {@code text} itself when it has none.
     */
    static String replaceLoneSurrogates(String text) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) { i += 2; continue; }
                break;
            }
            i++;
        }
        if (i == n) return text;
        StringBuilder sb = new StringBuilder(n).append(text, 0, i);
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                sb.append(c).append(text.charAt(i + 1));
                i += 2;
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
                i++;
            }
        }
        return sb.toString();
    }

    /**
     * Writes the UTF-8 bytes of {@code s[start, end)} (no lone surrogates) into {@code buf}, growing it if
     * needed, and returns the buffer used; the byte count is left in {@code length[0]}.
     */
    static byte[] encodeUtf8(String s, int start, int end, byte[] buf, int[] length) {
        int max = (end - start) * 3;
        if (buf.length < max) buf = new byte[Math.max(max, buf.length * 2)];
        int n = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf[n++] = (byte) c;
            } else if (c < 0x800) {
                buf[n++] = (byte) (0xC0 | (c >> 6));
                buf[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < end) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[n++] = (byte) (0xF0 | (cp >> 18));
                buf[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[n++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                buf[n++] = (byte) (0xE0 | (c >> 12));
                buf[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        length[0] = n;
        return buf;
    }
}

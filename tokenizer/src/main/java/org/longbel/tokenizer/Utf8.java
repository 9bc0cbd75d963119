package org.longbel.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding with Rust's {@code String::from_utf8_lossy} semantics: each maximal subpart of an
 * ill-formed sequence becomes one U+FFFD (Unicode's recommended practice). Java's own decoder differs
 * from it on encoded surrogates ({@code ED A0..BF}) and some truncated sequences, so we decode
 * ill-formed input ourselves.
 */
final class Utf8 {
    private Utf8() {}

    static String decodeLossy(byte[] b, int length) {
        int i = 0;
        while (i < length) {
            int n = validSequenceLength(b, i, length);
            if (n <= 0) break;
            i += n;
        }
        if (i == length) return new String(b, 0, length, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(length);
        sb.append(new String(b, 0, i, StandardCharsets.UTF_8));
        while (i < length) {
            int n = validSequenceLength(b, i, length);
            if (n > 0) {
                sb.append(new String(b, i, n, StandardCharsets.UTF_8));
                i += n;
            } else {
                sb.append('\uFFFD');
                i += -n;
            }
        }
        return sb.toString();
    }

    /**
     * The offset of the first byte of {@code b} that does not belong to a well-formed UTF-8 sequence, or -1 when
     * all of it is well-formed. Hugging Face reads its JSON files as strict UTF-8 (Rust's {@code String}, Python's
     * {@code json.load}), whereas Jackson replaces ill-formed bytes by U+FFFD; loaders check with this first.
     */
    static int firstInvalid(byte[] b) {
        int i = 0;
        while (i < b.length) {
            if (b[i] >= 0) { i++; continue; }
            int n = validSequenceLength(b, i, b.length);
            if (n <= 0) return i;
            i += n;
        }
        return -1;
    }

    /**
     * Length of the well-formed sequence at {@code i}, or minus the length of the maximal subpart to
     * replace by one U+FFFD (at least 1).
     */
    private static int validSequenceLength(byte[] b, int i, int end) {
        int lead = b[i] & 0xFF;
        if (lead < 0x80) return 1;
        int need;
        int lo = 0x80, hi = 0xBF; // allowed range of the second byte
        if (lead >= 0xC2 && lead <= 0xDF) need = 1;
        else if (lead >= 0xE0 && lead <= 0xEF) {
            need = 2;
            if (lead == 0xE0) lo = 0xA0;
            if (lead == 0xED) hi = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            need = 3;
            if (lead == 0xF0) lo = 0x90;
            if (lead == 0xF4) hi = 0x8F;
        } else {
            return -1;
        }
        for (int k = 1; k <= need; k++) {
            if (i + k >= end) return -k;
            int c = b[i + k] & 0xFF;
            boolean ok = k == 1 ? (c >= lo && c <= hi) : (c >= 0x80 && c <= 0xBF);
            if (!ok) return -k;
        }
        return need + 1;
    }
}

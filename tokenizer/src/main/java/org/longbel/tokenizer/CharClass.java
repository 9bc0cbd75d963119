package org.longbel.tokenizer;

/**
 * The character classes of the Llama-3 split pattern, with the meaning they have in Hugging Face's
 * Rust tokenizers (Oniguruma, Unicode mode): {@code \p{L}} = general categories Lu Ll Lt Lm Lo,
 * {@code \p{N}} = Nd Nl No, {@code \s} = the Unicode White_Space property (which, unlike
 * {@link Character#isWhitespace}, includes U+00A0, U+2007 and U+202F and excludes U+001C..U+001F).
 * Classes of the Basic Multilingual Plane come from a precomputed table.
 */
final class CharClass {
    static final int OTHER = 0;
    static final int LETTER = 1;
    static final int NUMBER = 2;
    static final int SPACE = 3;

    private static final byte[] BMP = new byte[0x10000];

    static {
        for (int c = 0; c < 0x10000; c++) BMP[c] = (byte) compute(c);
    }

    private CharClass() {}

    /** LETTER, NUMBER, SPACE or OTHER for a code point. */
    static int of(int cp) { return cp < 0x10000 ? BMP[cp] : compute(cp); }

    /** Whether the code point has the Unicode White_Space property (Rust's {@code char::is_whitespace}). */
    static boolean isWhiteSpace(int cp) {
        return switch (cp) {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** Rust's {@code char::is_alphanumeric} (Alphabetic or a number category), or '_' ("word" characters). */
    static boolean isWordChar(int cp) {
        if (cp == '_' || Character.isAlphabetic(cp)) return true;
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    private static int compute(int cp) {
        if (isWhiteSpace(cp)) return SPACE;
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            default -> OTHER;
        };
    }
}

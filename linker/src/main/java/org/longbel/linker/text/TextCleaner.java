package org.longbel.linker.text;

/**
 * The reference's {@code clean_natural}: U+00A0 -> space, {@code {} and {@code [} -> {@code (},
 * {@code }} and {@code ]} -> {@code )}, newline -> space. Applied to every passage text and every
 * mention text (reference spec §2). Only {@code \n} is replaced: {@code \r} and tabs stay.
 * One code unit maps to one code unit, so offsets are unchanged.
 */
public final class TextCleaner {
    private TextCleaner() {
    }

    public static String clean(String text) {
        char[] out = text.toCharArray();
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (out[i]) {
                case '\u00A0', '\n' -> ' ';
                case '{', '[' -> '(';
                case '}', ']' -> ')';
                default -> out[i];
            };
        }
        return new String(out);
    }
}

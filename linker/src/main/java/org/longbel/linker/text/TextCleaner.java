package org.longbel.linker.text;

/**
 * The reference's {@code clean_natural}: U+00A0 -&gt; space, <code>{</code> and <code>[</code> -&gt;
 * <code>(</code>, <code>}</code> and <code>]</code> -&gt; <code>)</code>, newline -&gt; space. Applied to every passage text and every
 * mention text (reference spec §2). Only {@code \n} is replaced: {@code \r} and tabs stay.
 * One code unit maps to one code unit, so offsets are unchanged.
 */
public final class TextCleaner {
    private TextCleaner() {
    }

    /** {@code text} cleaned as described above (same length). */
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

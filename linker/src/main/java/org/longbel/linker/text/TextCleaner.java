package org.longbel.linker.text;

import org.longbel.kb.NameCleaner;

/**
 * The reference's {@code clean_natural}: {@link NameCleaner}'s clean-up of KB names (U+00A0 -&gt; space,
 * <code>{</code> and <code>[</code> -&gt; <code>(</code>, <code>}</code> and <code>]</code> -&gt;
 * <code>)</code>) plus newline -&gt; space. Applied to every passage text and every mention text
 * (reference spec §2). Only {@code \n} is replaced: {@code \r} and tabs stay. One code unit maps to
 * one code unit, so offsets are unchanged.
 */
public final class TextCleaner {
    private TextCleaner() {
    }

    /** {@code text} cleaned as described above (same length). */
    public static String clean(String text) {
        return NameCleaner.clean(text.replace('\n', ' '));
    }
}

package org.longbel.linker.prompt;

import org.longbel.linker.text.PyStrings;

/**
 * One line of a page's memory (reference spec §4 step 3): the cleaned prompt + generation of the
 * top beam, cut from its LAST {@code [} (under the constraint that is the target's {@code [};
 * unconstrained, a generated {@code [} moves the cut into the generation), right-stripped, plus
 * {@code \n}. Newlines inside the generation are kept, so one entry may span several lines.
 */
public final class MemoryLine {
    private MemoryLine() {
    }

    /**
     * The memory line from the text of {@link DecodedText#skipUndesiredTokens}. QUIRK (cut from the
     * last bracket): reproduces {@code "[" + text.split("[")[-1]}, so a generated {@code [} moves the cut
     * into the generation, and without any {@code [} the whole text is kept behind a {@code [}. QUIRK
     * (clean-up on the whole text): the mention in the line went through
     * {@code clean_up_tokenization_spaces} with the rest of the decoded text, so it may differ from the target.
     */
    public static String fromCleaned(String cleaned) {
        int cut = cleaned.lastIndexOf(MentionExtractor.START_ENTITY);
        String tail = cut < 0 ? cleaned : cleaned.substring(cut + 1);
        return PyStrings.rstrip(MentionExtractor.START_ENTITY + tail) + "\n";
    }
}

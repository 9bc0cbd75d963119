package org.longbel.linker.prompt;

import org.longbel.linker.text.PyStrings;

/**
 * The reference's {@code add_headers_to_prompt} (reference spec §3): three sections, one {@code \n}
 * after each header, a blank line between sections, no trailing newline.
 */
public final class PromptBuilder {
    private PromptBuilder() {
    }

    /** The prompt text for {@code mention} given the memory of its page so far (may be empty). */
    public static String prompt(Mention mention, String memory) {
        return prompt(mention.context(), mention.target(), memory);
    }

    /** The prompt text from its three parts. */
    public static String prompt(String context, String target, String memory) {
        String previous = memory == null || memory.isEmpty() ? "None" : memory;
        return "### Context\n" + PyStrings.rstrip(context)
                + "\n\n### Previous Normalizations\n" + PyStrings.rstrip(previous)
                + "\n\n### Prediction\n" + PyStrings.rstrip(target);
    }
}

package org.longbel.linker;

/**
 * A prompt as it was fed to the model ({@code --dump-prompts}).
 *
 * @param mentionId the mention
 * @param text      the prompt text
 * @param ids       its token ids, BOS included
 */
public record PromptRecord(String mentionId, String text, int[] ids) {
}

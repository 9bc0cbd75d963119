package org.longbel.tokenizer;

/**
 * The single-sequence template of a {@code TemplateProcessing} post-processor: the special-token ids
 * placed before and after the encoded text when special tokens are requested (for Llama 3, BOS before).
 *
 * @param prefix ids before the sequence
 * @param suffix ids after the sequence
 */
record TemplatePostProcessor(int[] prefix, int[] suffix) {

    /** No post-processor: nothing is added. */
    static final TemplatePostProcessor NONE = new TemplatePostProcessor(new int[0], new int[0]);
}

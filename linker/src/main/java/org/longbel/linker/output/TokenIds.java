package org.longbel.linker.output;

/**
 * The token ids the linker's quirks depend on.
 *
 * @param bos        {@code <|begin_of_text|>}
 * @param eos        {@code <|eot_id|>} (the eos the reference passes to generate)
 * @param pad        the pad id (eos in LongBEL)
 * @param closeBrace <code>}</code>, first token of every trie key
 * @param plus       {@code <+>}, the multiple-answer separator (-1 when the vocabulary lacks it)
 */
public record TokenIds(int bos, int eos, int pad, int closeBrace, int plus) {
}

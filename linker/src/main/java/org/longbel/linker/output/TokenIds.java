package org.longbel.linker.output;

import org.longbel.decoding.SpecialIds;

/**
 * The token ids the linker's quirks depend on. bos, eos and pad are the search's
 * ({@link SpecialIds}, resolved once per checkpoint), so the constraint, the search and the records
 * agree on them.
 *
 * @param bos        {@code <|begin_of_text|>}
 * @param eos        {@code <|eot_id|>} (the eos the reference passes to generate)
 * @param pad        the search's pad: {@code generation_config.json}'s {@code pad_token_id}, else eos
 * @param closeBrace <code>}</code>, first token of every trie key
 * @param plus       {@code <+>}, the multiple-answer separator (-1 when the vocabulary lacks it)
 */
public record TokenIds(int bos, int eos, int pad, int closeBrace, int plus) {

    /** The search's ids with the checkpoint's <code>}</code> and {@code <+>} ids. */
    public static TokenIds of(SpecialIds search, int closeBrace, int plus) {
        return new TokenIds(search.bos(), search.eos(), search.pad(), closeBrace, plus);
    }
}

package org.longbel.decoding;

import org.longbel.tokenizer.Tokenizer;

/**
 * The special token ids a search uses, resolved once per checkpoint from its tokenizer and its
 * {@code generation_config.json} ({@link #resolve}); every search setting and constraint takes its
 * ids from here, so no checkpoint's ids are written into the code.
 *
 * @param bos the tokenizer's BOS ({@code <|begin_of_text|>} in LongBEL), left out of the {@code score}
 *            mean; -1 when the tokenizer has none
 * @param eos the single eos id passed to {@code generate}: the tokenizer's {@code <|eot_id|>}, as the
 *            LongBEL wrapper passes it (hf-beam-search.md), else the tokenizer's {@code eos_token}
 * @param pad the pad id of the search: {@code generation_config.json}'s {@code pad_token_id} when set,
 *            else {@code eos} (Hugging Face's {@code _prepare_special_tokens}: pad or eos[0])
 */
public record SpecialIds(int bos, int eos, int pad) {

    /** The token the LongBEL wrapper passes as {@code eos_token_id}. */
    public static final String EOT_TOKEN = "<|eot_id|>";

    public SpecialIds {
        if (eos < 0) throw new IllegalArgumentException("no eos id (got " + eos + ")");
        if (pad < 0) throw new IllegalArgumentException("no pad id (got " + pad + ")");
    }

    /**
     * The ids of a checkpoint: eos = {@code <|eot_id|>} of {@code tokenizer} (else its
     * {@code eos_token}), pad = {@link GenerationConfig#padId(int) generation.padId(eos)}, bos = the
     * tokenizer's BOS.
     *
     * @throws IllegalArgumentException when the tokenizer has neither {@code <|eot_id|>} nor an
     *                                  {@code eos_token}
     */
    public static SpecialIds resolve(Tokenizer tokenizer, GenerationConfig generation) {
        int eot = tokenizer.tokenToId(EOT_TOKEN);
        int eos = eot >= 0 ? eot : tokenizer.eosId();
        if (eos < 0) {
            throw new IllegalArgumentException("the tokenizer has no " + EOT_TOKEN + " token and no eos_token "
                    + "(tokenizer_config.json); decoding needs an end-of-sequence id");
        }
        return new SpecialIds(tokenizer.bosId(), eos, generation.padId(eos));
    }
}

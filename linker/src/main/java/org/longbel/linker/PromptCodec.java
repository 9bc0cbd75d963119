package org.longbel.linker;

import org.longbel.linker.output.TokenIds;
import org.longbel.tokenizer.Tokenizer;

/** The tokenizer operations the pipeline uses. */
public interface PromptCodec {

    /** Token ids of a prompt with BOS prepended (Hugging Face {@code add_special_tokens=True}). */
    int[] encodeWithBos(String prompt);

    /** Decoded text with special tokens kept and {@code clean_up_tokenization_spaces} applied. */
    String decodeWithSpecials(int[] ids);

    /** The ids the quirks depend on. */
    TokenIds tokenIds();

    /** The codec of a LongBEL tokenizer: eos = pad = {@code <|eot_id|>}, <code>}</code> and {@code <+>} looked up. */
    static PromptCodec of(Tokenizer tokenizer) {
        int eot = tokenizer.tokenToId("<|eot_id|>");
        int eos = eot >= 0 ? eot : tokenizer.eosId();
        int pad = tokenizer.padId() >= 0 ? tokenizer.padId() : eos;
        TokenIds ids = new TokenIds(tokenizer.bosId(), eos, pad, tokenizer.tokenToId("}"), tokenizer.tokenToId("<+>"));
        return new PromptCodec() {
            @Override public int[] encodeWithBos(String prompt) { return tokenizer.encode(prompt, true); }
            @Override public String decodeWithSpecials(int[] tokens) { return tokenizer.decode(tokens, false, true); }
            @Override public TokenIds tokenIds() { return ids; }
        };
    }
}

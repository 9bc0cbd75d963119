package org.longbel.linker;

import org.longbel.decoding.SpecialIds;
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

    /**
     * The codec of a LongBEL tokenizer: bos, eos and pad are the search's ({@code search}, from
     * {@link SpecialIds#resolve} on this tokenizer and the checkpoint's generation config),
     * <code>}</code> and {@code <+>} are looked up.
     */
    static PromptCodec of(Tokenizer tokenizer, SpecialIds search) {
        TokenIds ids = TokenIds.of(search, tokenizer.tokenToId("}"), tokenizer.tokenToId("<+>"));
        return new PromptCodec() {
            @Override public int[] encodeWithBos(String prompt) { return tokenizer.encode(prompt, true); }
            @Override public String decodeWithSpecials(int[] tokens) { return tokenizer.decode(tokens, false, true); }
            @Override public TokenIds tokenIds() { return ids; }
        };
    }
}

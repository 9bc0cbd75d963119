package org.longbel.kb;

import org.longbel.tokenizer.Tokenizer;

/**
 * The tokenization the trie builder needs: text to ids with the tokenizer's special tokens (BOS), and
 * the BOS and EOS ids. Implementations must be safe to call from several threads at once.
 */
public interface NameEncoder {

    /** Ids of {@code text} with special tokens added (for Llama 3: BOS first). */
    int[] encodeWithSpecialTokens(String text);

    /** The BOS id, or -1 if the tokenizer has none. */
    int bosId();

    /** The end-of-sequence id appended to every trie sequence: the tokenizer's {@code eos_token} ({@code <|eot_id|>} in LongBEL). */
    int eosId();

    /** Adapts a {@link Tokenizer}. */
    static NameEncoder of(Tokenizer tokenizer) {
        int bos = tokenizer.bosId();
        int eos = tokenizer.eosId();
        if (eos < 0) throw new KbException("the tokenizer defines no end-of-sequence token; the trie needs one to end every name");
        return new NameEncoder() {
            @Override public int[] encodeWithSpecialTokens(String text) { return tokenizer.encode(text, true); }
            @Override public int bosId() { return bos; }
            @Override public int eosId() { return eos; }
        };
    }
}

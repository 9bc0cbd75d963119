package org.longbel.tokenizer;

import java.nio.file.Path;
import java.util.List;

/**
 * PUBLIC API CONTRACT (being implemented): a Hugging Face tokenizer.json pipeline.
 */
public final class Tokenizer {
    private Tokenizer() {}

    /** Loads {@code dir/tokenizer.json} (and {@code dir/tokenizer_config.json} when present). */
    public static Tokenizer fromDirectory(Path dir) { throw new IllegalStateException("in progress"); }

    /** Loads a tokenizer.json file; the sibling tokenizer_config.json is read when present. */
    public static Tokenizer fromFile(Path tokenizerJson) { throw new IllegalStateException("in progress"); }

    public int[] encode(String text, boolean addSpecialTokens) { throw new IllegalStateException("in progress"); }

    public List<int[]> encodeBatch(List<String> texts, boolean addSpecialTokens) { throw new IllegalStateException("in progress"); }

    public String decode(int[] ids, boolean skipSpecialTokens) { throw new IllegalStateException("in progress"); }

    /** decode, then transformers' clean_up_tokenization_spaces when {@code cleanUpSpaces}. */
    public String decode(int[] ids, boolean skipSpecialTokens, boolean cleanUpSpaces) { throw new IllegalStateException("in progress"); }

    /** Id of a token string (vocabulary or added token), or -1. */
    public int tokenToId(String token) { throw new IllegalStateException("in progress"); }

    /** Token string of an id; IllegalArgumentException outside the vocabulary. */
    public String idToToken(int id) { throw new IllegalStateException("in progress"); }

    public int vocabSize() { throw new IllegalStateException("in progress"); }

    /** BOS id from tokenizer_config.json / post-processor, -1 if none. */
    public int bosId() { throw new IllegalStateException("in progress"); }

    /** EOS id from tokenizer_config.json, -1 if none. */
    public int eosId() { throw new IllegalStateException("in progress"); }

    /** Pad id from tokenizer_config.json, falling back to eos. */
    public int padId() { throw new IllegalStateException("in progress"); }

    public boolean isSpecial(int id) { throw new IllegalStateException("in progress"); }
}

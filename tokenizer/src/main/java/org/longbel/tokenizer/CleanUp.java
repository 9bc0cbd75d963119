package org.longbel.tokenizer;

/**
 * transformers' {@code clean_up_tokenization}: removes the space that a word-level decode leaves before
 * punctuation and English contractions. The replacements run one after the other, in this order, each
 * over the whole string, exactly as {@code PreTrainedTokenizerBase.clean_up_tokenization}.
 */
public final class CleanUp {
    private static final String[][] REPLACEMENTS = {
        {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
        {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"},
    };

    private CleanUp() {}

    /** The cleaned-up text. */
    public static String cleanUpTokenizationSpaces(String text) {
        String s = text;
        for (String[] r : REPLACEMENTS) s = s.replace(r[0], r[1]);
        return s;
    }
}

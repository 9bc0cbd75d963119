package org.longbel.linker.prompt;

import org.longbel.linker.text.PyStrings;

/**
 * The reference's {@code skip_undesired_tokens} (reference spec §4 step 2), applied to the decoded
 * prompt + generation (decoded with special tokens kept and {@code clean_up_tokenization_spaces}):
 * every {@code <|begin_of_text|>} and {@code <|eot_id|>} removed, the whitespace right after each
 * {@code <+>} and each {@code <SEP>} deleted, then stripped.
 */
public final class DecodedText {
    public static final String BOS = "<|begin_of_text|>";
    public static final String EOT = "<|eot_id|>";
    public static final String PLUS = "<+>";
    public static final String SEP = "<SEP>";

    private DecodedText() {
    }

    /** The cleaned text that the memory line and the reference-compat parse start from. */
    public static String skipUndesiredTokens(String decoded) {
        String s = decoded.replace(BOS, "").replace(EOT, "");
        s = dropSpaceAfter(s, PLUS);
        s = dropSpaceAfter(s, SEP);
        return PyStrings.strip(s);
    }

    /** Python's {@code re.sub(rf"({re.escape(marker)})\s+", r"\1", s)}. */
    static String dropSpaceAfter(String s, String marker) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (true) {
            int at = s.indexOf(marker, i);
            if (at < 0) break;
            int j = at + marker.length();
            out.append(s, i, j);
            while (j < s.length()) {
                int cp = s.codePointAt(j);
                if (!PyStrings.isSpace(cp)) break;
                j += Character.charCount(cp);
            }
            i = j;
        }
        return out.append(s, i, s.length()).toString();
    }
}

package org.longbel.tokenizer;

/**
 * The Llama-3 split pattern, matched by hand with the exact semantics of the backtracking regex engine
 * Hugging Face uses (leftmost alternative that matches wins, greedy quantifiers, then backtracking):
 * <pre>
 * (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 * </pre>
 * Every character is matched by some alternative, so the matches tile the input (the Split behaviour
 * "Isolated" then keeps each match as one pre-token). Works on code points; lone surrogates must have
 * been replaced beforehand.
 */
final class Llama3Splitter implements PreTokenizer {

    /** The pattern as it appears in tokenizer.json. */
    static final String PATTERN =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    @Override
    public void split(String text, int start, int end, Sink sink) {
        int i = start;
        while (i < end) {
            int next = matchAt(text, i, end);
            sink.accept(i, next);
            i = next;
        }
    }

    /** End of the match starting at {@code i} (always greater than {@code i}). */
    static int matchAt(String s, int i, int end) {
        int cp = s.codePointAt(i);
        int width = Character.charCount(cp);
        int cls = CharClass.of(cp);

        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if (cp == '\'' && i + 1 < end) {
            char a = s.charAt(i + 1);
            switch (foldLower(a)) {
                case 's', 't', 'm', 'd' -> { return i + 2; }
                case 'r', 'v', 'l' -> {
                    if (i + 2 < end) {
                        char b = foldLower(s.charAt(i + 2));
                        char la = foldLower(a);
                        if ((la == 'r' || la == 'v') && b == 'e') return i + 3;
                        if (la == 'l' && b == 'l') return i + 3;
                    }
                }
                default -> { }
            }
        }
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (cls == CharClass.LETTER) return letters(s, i, end);
        if (cls != CharClass.NUMBER && cp != '\r' && cp != '\n' && i + width < end
                && CharClass.of(s.codePointAt(i + width)) == CharClass.LETTER) {
            return letters(s, i + width, end);
        }
        // \p{N}{1,3}
        if (cls == CharClass.NUMBER) {
            int j = i + width;
            for (int k = 1; k < 3 && j < end; k++) {
                int c = s.codePointAt(j);
                if (CharClass.of(c) != CharClass.NUMBER) break;
                j += Character.charCount(c);
            }
            return j;
        }
        //  ?[^\s\p{L}\p{N}]+[\r\n]*
        int symbolsFrom = -1;
        if (cls == CharClass.OTHER) symbolsFrom = i;
        else if (cp == ' ' && i + 1 < end && CharClass.of(s.codePointAt(i + 1)) == CharClass.OTHER) symbolsFrom = i + 1;
        if (symbolsFrom >= 0) {
            int j = symbolsFrom;
            while (j < end) {
                int c = s.codePointAt(j);
                if (CharClass.of(c) != CharClass.OTHER) break;
                j += Character.charCount(c);
            }
            while (j < end && (s.charAt(j) == '\r' || s.charAt(j) == '\n')) j++;
            return j;
        }
        // Here cp is white space (every other class matched above); all white space is in the BMP.
        int runEnd = i;
        int lastNewline = -1;
        while (runEnd < end && CharClass.of(s.charAt(runEnd)) == CharClass.SPACE) {
            char c = s.charAt(runEnd);
            if (c == '\r' || c == '\n') lastNewline = runEnd;
            runEnd++;
        }
        // \s*[\r\n]+ : \s* backtracks to the last line break of the run.
        if (lastNewline >= 0) return lastNewline + 1;
        // \s+(?!\S) : at the end of the input the whole run; before a non-space, all but its last char.
        if (runEnd == end) return runEnd;
        if (runEnd - 1 > i) return runEnd - 1;
        // \s+
        return runEnd;
    }

    private static int letters(String s, int j, int end) {
        while (j < end) {
            int c = s.codePointAt(j);
            if (CharClass.of(c) != CharClass.LETTER) break;
            j += Character.charCount(c);
        }
        return j;
    }

    /** Simple case folding, restricted to the letters of the contractions ({@code ſ} folds to s). */
    private static char foldLower(char c) {
        if (c == '\u017F') return 's';
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
}

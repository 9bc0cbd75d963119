package org.longbel.tokenizer;

/**
 * Splits a stretch of text (between added tokens) into pre-tokens, each of which the model encodes on
 * its own. Implementations are stateless and thread-safe.
 */
interface PreTokenizer {

    /** Receives the pre-tokens as {@code [start, end)} UTF-16 ranges of the text, in order. */
    @FunctionalInterface
    interface Sink {
        void accept(int start, int end);
    }

    /** Splits {@code text[start, end)}, treating {@code end} as the end of the input. */
    void split(String text, int start, int end, Sink sink);
}

package org.longbel.kb;

/** A knowledge-base source or trie file that cannot be used; the message names the file and place. */
public class KbException extends RuntimeException {
    public KbException(String message) {
        super(message);
    }

    public KbException(String message, Throwable cause) {
        super(message, cause);
    }
}

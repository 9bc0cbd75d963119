package org.longbel.tokenizer;

/**
 * A tokenizer cannot be loaded or used: its files are missing or malformed, they ask for a component or
 * option this implementation does not provide, or an id given to decode is outside the vocabulary. The
 * message names the file, the field and, where there is one, the line and column or the offending value.
 */
public class TokenizerException extends RuntimeException {

    public TokenizerException(String message) { super(message); }

    public TokenizerException(String message, Throwable cause) { super(message, cause); }
}

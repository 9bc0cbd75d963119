package org.longbel.decoding;

/**
 * A search that cannot go on for its prompt: the constraint allows no token (Hugging Face raises
 * "constraint is unsatisfiable" there), or, when sampling, every continuation has probability 0.
 * It concerns one prompt only, so a caller linking many mentions can report it for that mention and
 * go on with the others.
 */
public class DecodingException extends IllegalStateException {

    /** An error whose message says what cannot go on and after which tokens. */
    public DecodingException(String message) {
        super(message);
    }
}

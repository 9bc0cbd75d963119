package org.longbel.linker.input;

/**
 * Input the linker cannot use. The message names the file, and where known the line, document,
 * entity and field, so a user can fix the input.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.longbel.core;

/**
 * A checkpoint directory cannot be used: its {@code config.json} or one of its safetensors files is
 * missing, malformed or inconsistent. The message names the file and, where there is one, the field or
 * tensor, so that a user can act on it.
 */
public class CheckpointException extends RuntimeException {

    /** @param message what is wrong, starting with the file (and field or tensor) at fault */
    public CheckpointException(String message) { super(message); }

    /**
     * @param message what is wrong, starting with the file at fault
     * @param cause   the I/O or parse error behind it
     */
    public CheckpointException(String message, Throwable cause) { super(message, cause); }
}

package org.longbel.decoding;

/** Hugging Face's {@code early_stopping}: {@code False} (default), {@code True} or {@code "never"}. */
public enum EarlyStopping {
    /** Stop an item when the best running beam, at its current length, cannot beat the worst finished one. */
    FALSE,
    /** Stop an item as soon as K hypotheses are finished. */
    TRUE,
    /** Like FALSE, but the best running score is judged at the maximum length (when length_penalty > 0). */
    NEVER;

    /** Parses a JSON value of {@code early_stopping}: {@code true}, {@code false} or {@code "never"}. */
    public static EarlyStopping parse(Object value) {
        if (value == null || Boolean.FALSE.equals(value)) return FALSE;
        if (Boolean.TRUE.equals(value)) return TRUE;
        if ("never".equals(value)) return NEVER;
        throw new IllegalArgumentException("early_stopping must be true, false or \"never\", got " + value);
    }
}

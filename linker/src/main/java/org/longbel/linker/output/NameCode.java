package org.longbel.linker.output;

/**
 * A predicted name and code.
 *
 * @param name the name ({@link Prediction#NO_PREDICTION} when none)
 * @param code the code ({@link Prediction#NO_CODE} when none)
 */
public record NameCode(String name, String code) {
    /** Nothing could be parsed. */
    public static final NameCode NONE = new NameCode(Prediction.NO_PREDICTION, Prediction.NO_CODE);
}

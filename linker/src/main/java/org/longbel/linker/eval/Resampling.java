package org.longbel.linker.eval;

/** The bootstrap's resampling unit. */
public enum Resampling {
    /** Resample documents (page ids) with replacement: the paper's protocol and the default. */
    DOCUMENTS,
    /** Resample mentions with replacement. */
    MENTIONS
}

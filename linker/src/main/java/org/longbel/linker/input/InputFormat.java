package org.longbel.linker.input;

import java.nio.file.Path;

/** Input file formats, and detection of the format from the file's first non-blank character. */
public enum InputFormat {
    /** Decide from the content: {@code [} or <code>{</code> starts BigBio JSON, a digit-led PubTator line otherwise. */
    AUTO,
    /** BigBio-KB-like pages: a JSON array or JSON Lines (one page object per line). */
    BIGBIO,
    /** PubTator: {@code PMID|t|title}, {@code PMID|a|abstract}, tab-separated annotation lines. */
    PUBTATOR;

    /** The concrete format of {@code file}: this one, or the detected one for {@link #AUTO}. */
    public InputFormat resolve(Path file) {
        if (this != AUTO) return this;
        int c = BigBioReader.firstCharacter(file);
        return c == -1 || c == '[' || c == '{' ? BIGBIO : PUBTATOR;
    }
}
